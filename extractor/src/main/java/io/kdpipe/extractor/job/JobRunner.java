package io.kdpipe.extractor.job;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.ValueNormalizer;

/**
 * The extraction of one job, step by step; each page is committed with its checkpoint before the
 * next is read, so the committed checkpoint always describes exactly what was published.
 *
 * <p><b>Snapshot.</b> The first run first reads the greatest {@code FModifyDate} there is (M0),
 * then pages through every customer by {@code FCUSTID} (keyset: {@code FCUSTID > last}), rows marked
 * {@code SNAPSHOT}. The checkpoint carries {@code resumeAfter} = the last {@code FCUSTID}, and
 * {@code watermark} = M0.
 *
 * <p><b>Incremental.</b> Each poll reads {@code FModifyDate >= watermark - overlap} ordered by
 * ({@code FModifyDate}, {@code FCUSTID}), paging by keyset on that pair. A row is published unless
 * its version key {@code FCUSTID@FModifyDate} is in the checkpoint's {@code keysAtWatermark}, which
 * holds the version keys published within the overlap window ending at the watermark. So rows
 * that share a timestamp, or commit late with an {@code FModifyDate} inside the window, are
 * published exactly once; rows modified during the snapshot after it passed them are picked up by
 * the first poll, which starts at M0 minus the overlap.
 */
final class JobRunner {

    static final String SNAPSHOT_ORDER = "FCUSTID ASC";
    static final String INCREMENTAL_ORDER = "FModifyDate ASC,FCUSTID ASC";

    private final JobSpec spec;
    private final KingdeeQuery query;
    private final PageFetcher fetcher;
    private final PageSink sink;
    private final Clock clock;
    private final ZoneId zone;
    private final ExtractorMetrics metrics;
    private Checkpoint state;

    JobRunner(JobSpec spec, KingdeeQuery query, PageFetcher fetcher, PageSink sink, Clock clock, ZoneId zone,
            ExtractorMetrics metrics, Checkpoint committed) {
        this.spec = spec;
        this.query = query;
        this.fetcher = fetcher;
        this.sink = sink;
        this.clock = clock;
        this.zone = zone;
        this.metrics = metrics;
        this.state = committed;
    }

    /** The last committed checkpoint, or null before the first commit. */
    Checkpoint state() {
        return state;
    }

    /** Finishes the snapshot, or runs one incremental poll to the end of what Kingdee has now. */
    void runOnce() throws InterruptedException {
        if (state == null || !state.snapshotComplete()) {
            snapshot();
        } else {
            poll();
        }
        metrics.lastSuccess(spec.id(), clock.instant());
        if (state.watermark() != null) {
            long lag = Duration.between(state.watermark().atZone(zone).toInstant(), clock.instant()).toSeconds();
            metrics.watermarkLag(spec.id(), Math.max(0, lag));
        }
    }

    private void snapshot() throws InterruptedException {
        Checkpoint base = state;
        if (base == null) {
            base = new Checkpoint(Checkpoint.VERSION, spec.id(), false, null, maxModifyDate(), List.of(), 0, clock.instant());
        }
        LocalDateTime low = base.watermark() == null ? null : base.watermark().minus(spec.overlap());
        while (true) {
            checkInterrupt();
            String keyset = base.resumeAfter() == null ? "" : "FCUSTID > " + literal(base.resumeAfter());
            PageFetcher.Page page = fetcher.fetch(and(spec.filter(), keyset), SNAPSHOT_ORDER);
            Map<String, LocalDateTime> keys = keys(base);
            for (FoldedCustomer c : page.customers()) {
                if (low == null || (c.modifyDate() != null && !c.modifyDate().isBefore(low))) {
                    keys.put(c.versionKey(), c.modifyDate());
                }
            }
            String last = page.customers().isEmpty() ? base.resumeAfter() : page.customers().get(page.customers().size() - 1).customerId();
            Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), page.last(), page.last() ? null : last,
                    base.watermark(), List.copyOf(keys.keySet()), base.rowsPublished() + page.customers().size(), clock.instant());
            publish(page.customers(), CustomerRow.Phase.SNAPSHOT, next);
            base = next;
            if (page.last()) {
                return;
            }
        }
    }

    private void poll() throws InterruptedException {
        LocalDateTime lower = state.watermark() == null ? null : state.watermark().minus(spec.overlap());
        FoldedCustomer cursor = null;
        while (true) {
            checkInterrupt();
            String condition;
            if (cursor == null) {
                condition = lower == null ? "" : "FModifyDate >= " + ValueNormalizer.filterLiteral(lower);
            } else if (cursor.modifyDate() == null) {
                condition = "((FModifyDate IS NULL AND FCUSTID > " + literal(cursor.customerId()) + ") OR FModifyDate IS NOT NULL)";
            } else {
                String m = ValueNormalizer.filterLiteral(cursor.modifyDate());
                condition = "(FModifyDate > " + m + " OR (FModifyDate = " + m + " AND FCUSTID > " + literal(cursor.customerId()) + "))";
            }
            PageFetcher.Page page = fetcher.fetch(and(spec.filter(), condition), INCREMENTAL_ORDER);
            Map<String, LocalDateTime> keys = keys(state);
            List<FoldedCustomer> fresh = new ArrayList<>();
            LocalDateTime watermark = state.watermark();
            for (FoldedCustomer c : page.customers()) {
                if (keys.containsKey(c.versionKey())) {
                    continue;
                }
                fresh.add(c);
                keys.put(c.versionKey(), c.modifyDate());
                if (c.modifyDate() != null && (watermark == null || c.modifyDate().isAfter(watermark))) {
                    watermark = c.modifyDate();
                }
            }
            if (!fresh.isEmpty()) {
                LocalDateTime keep = watermark == null ? null : watermark.minus(spec.overlap());
                keys.values().removeIf(m -> keep != null && (m == null || m.isBefore(keep)));
                Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), true, null, watermark,
                        List.copyOf(keys.keySet()), state.rowsPublished() + fresh.size(), clock.instant());
                publish(fresh, CustomerRow.Phase.INCREMENTAL, next);
            }
            if (!page.customers().isEmpty()) {
                cursor = page.customers().get(page.customers().size() - 1);
            }
            if (page.last()) {
                return;
            }
        }
    }

    private void publish(List<FoldedCustomer> customers, CustomerRow.Phase phase, Checkpoint next) {
        Instant now = clock.instant();
        List<CustomerRow> rows = new ArrayList<>(customers.size());
        for (FoldedCustomer c : customers) {
            rows.add(CustomerRow.of(spec.account(), spec.formId(), c.customerId(), modifiedAt(c), now, phase, c.fields()));
        }
        sink.commit(rows, next);
        state = next;
        metrics.rowsExtracted(spec.id(), phase, rows.size());
    }

    private Instant modifiedAt(FoldedCustomer c) {
        if (c.modifyDate() != null) {
            return c.modifyDate().atZone(zone).toInstant();
        }
        JsonNode created = c.fields().get("FCreateDate");
        if (created != null && created.isTextual()) {
            return java.time.OffsetDateTime.parse(created.asText()).toInstant();
        }
        return Instant.EPOCH;
    }

    /** The greatest {@code FModifyDate} of the job's rows now, or null when it has none. */
    private LocalDateTime maxModifyDate() throws InterruptedException {
        List<JsonNode[]> rows = query.execute(new BillQuery(spec.formId(), List.of("FModifyDate"), spec.filter(), "FModifyDate DESC", 0, 1));
        if (rows.isEmpty() || rows.get(0)[0] == null || rows.get(0)[0].isNull()) {
            return null;
        }
        return ValueNormalizer.parseDate(rows.get(0)[0].asText());
    }

    /** The checkpoint's version keys with their {@code FModifyDate}, sorted for a stable checkpoint. */
    private static Map<String, LocalDateTime> keys(Checkpoint cp) {
        Map<String, LocalDateTime> out = new TreeMap<>();
        for (String k : cp.keysAtWatermark()) {
            int at = k.lastIndexOf('@');
            String date = at < 0 ? "" : k.substring(at + 1);
            out.put(k, date.isEmpty() ? null : LocalDateTime.parse(date));
        }
        return out;
    }

    static String and(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        if (b == null || b.isBlank()) {
            return a;
        }
        return "(" + a + ") AND " + b;
    }

    private static String literal(String id) {
        try {
            return new BigInteger(id).toString();
        } catch (NumberFormatException e) {
            return "'" + id.replace("'", "''") + "'";
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("job stopped");
        }
    }
}
