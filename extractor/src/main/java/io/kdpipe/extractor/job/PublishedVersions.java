package io.kdpipe.extractor.job;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import io.kdpipe.common.contract.Checkpoint;

/**
 * The versions ({@code FCUSTID@FModifyDate}) a job published within its overlap window, grouped by
 * {@code FModifyDate}, so the look-back for late commits can tell a version already published from
 * a new one. The job keeps the whole window in memory (bounded by the window's rows); the
 * checkpoint lists at most {@link Checkpoint#MAX_LISTED_KEYS} of them, whole timestamps newest
 * first, and says from which {@code FModifyDate} on the list is complete ({@code keysFrom}). A job
 * resumed from such a checkpoint counts a version older than {@code keysFrom} as published when it
 * lies at or before the checkpoint's position: nothing after the position had been published (the
 * rest of a bulk save cut by a restart is still to come).
 */
final class PublishedVersions {

    /** Stands for a missing {@code FModifyDate}: older than every date. */
    private static final LocalDateTime NO_DATE = LocalDateTime.MIN;

    private final NavigableMap<LocalDateTime, Set<String>> byDate = new TreeMap<>();
    /** Versions older than this count as published (null: none are assumed)... */
    private LocalDateTime assumedBefore;
    /** ...when at or before this position ({@code FModifyDate}, {@code FCUSTID}; a null key lies after every row of the date). */
    private LocalDateTime assumedUpToDate;
    private String assumedUpToKey;
    private int size;

    /** The versions a checkpoint lists (checkpoints written before {@code keysFrom} existed list the whole window). */
    static PublishedVersions of(Checkpoint cp) {
        PublishedVersions v = new PublishedVersions();
        if (cp == null) {
            return v;
        }
        for (String k : cp.keysAtWatermark()) {
            int at = k.lastIndexOf('@');
            String date = at < 0 ? "" : k.substring(at + 1);
            v.add(at < 0 ? k : k.substring(0, at), date.isEmpty() ? null : LocalDateTime.parse(date));
        }
        v.assumedBefore = cp.keysFrom();
        v.assumedUpToDate = cp.watermark();
        v.assumedUpToKey = cp.snapshotComplete() ? cp.watermarkKey() : null;
        return v;
    }

    boolean contains(String customerId, LocalDateTime modifyDate) {
        LocalDateTime d = modifyDate == null ? NO_DATE : modifyDate;
        if (assumedBefore != null && d.isBefore(assumedBefore) && atOrBeforeRestoredPosition(customerId, d)) {
            return true;
        }
        Set<String> ids = byDate.get(d);
        return ids != null && ids.contains(customerId);
    }

    private boolean atOrBeforeRestoredPosition(String customerId, LocalDateTime d) {
        if (assumedUpToDate == null) {
            return false;
        }
        int byDate = d.compareTo(assumedUpToDate);
        return byDate < 0 || (byDate == 0 && (assumedUpToKey == null || JobRunner.compareIds(customerId, assumedUpToKey) <= 0));
    }

    void add(String customerId, LocalDateTime modifyDate) {
        if (byDate.computeIfAbsent(modifyDate == null ? NO_DATE : modifyDate, d -> new HashSet<>()).add(customerId)) {
            size++;
        }
    }

    /** Forgets versions older than {@code keepFrom} (and those without a date). */
    void forgetBefore(LocalDateTime keepFrom) {
        if (keepFrom == null) {
            return;
        }
        Map<LocalDateTime, Set<String>> old = byDate.headMap(keepFrom, false);
        for (Set<String> ids : old.values()) {
            size -= ids.size();
        }
        old.clear();
    }

    int size() {
        return size;
    }

    /** What a checkpoint lists: whole timestamps, newest first, up to {@code max} keys. */
    Listed listed(int max) {
        List<String> keys = new ArrayList<>();
        LocalDateTime from = assumedBefore;
        for (Map.Entry<LocalDateTime, Set<String>> e : byDate.descendingMap().entrySet()) {
            if (keys.size() + e.getValue().size() > max) {
                // this timestamp and older ones are not listed: they count as published after a restart
                from = e.getKey().plusNanos(1);
                break;
            }
            String date = e.getKey() == NO_DATE ? "" : e.getKey().toString();
            e.getValue().stream().sorted().forEach(id -> keys.add(id + "@" + date));
        }
        if (from != null && assumedBefore != null && from.isBefore(assumedBefore)) {
            from = assumedBefore;
        }
        return new Listed(keys, from);
    }

    /** The checkpoint's {@code keysAtWatermark} and {@code keysFrom}. */
    record Listed(List<String> keys, LocalDateTime from) {
    }
}
