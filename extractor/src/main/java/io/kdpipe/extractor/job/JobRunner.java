package io.kdpipe.extractor.job;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.UnreadableCustomer;
import io.kdpipe.extractor.rows.ValueNormalizer;

/**
 * The extraction of one job, step by step; each page is committed with its checkpoint before the
 * next is published, so the committed checkpoint always describes exactly what was published. The
 * next page's query is sent as soon as a page has arrived, by the read-ahead thread itself, while
 * the job folds and commits the pages before it ({@link Prefetch#chain}): keyset paging needs only
 * the page's last key (found without folding the page), and a read-ahead is used only once the page
 * before it has committed. So Kingdee's time per page, not the extractor's, sets the pace.
 *
 * <p><b>Snapshot.</b> The first run first reads the greatest {@code FModifyDate} there is (M0),
 * then pages through every customer by {@code FCUSTID} (keyset: {@code FCUSTID > last}), rows marked
 * {@code SNAPSHOT}. The checkpoint carries {@code resumeAfter} = the last {@code FCUSTID}, and
 * {@code watermark} = M0.
 *
 * <p><b>Incremental.</b> Each poll reads forward from the position ({@code FModifyDate},
 * {@code FCUSTID}) of the last row read, ordered by that pair and paging by keyset on it, so
 * however many rows share one {@code FModifyDate} the checkpoint holds one position. A save that
 * commits late has an {@code FModifyDate} behind the position: every {@code lookBackInterval} the
 * job reads the overlap window behind the position again, with {@code FCUSTID} and
 * {@code FModifyDate} only, and fetches the whole rows of versions it has not published
 * ({@link PublishedVersions}). Rows read again are never published twice. A save commits within the
 * overlap of its {@code FModifyDate} (the assumption the overlap encodes, on the extractor's clock):
 * once a look-back has run after {@code d + overlap}, dates before {@code d} are settled and later
 * look-backs skip them, so a quiet job stops reading a bulk save again one overlap after it.
 *
 * <p><b>Rows that cannot be read.</b> A customer whose {@code FCUSTID} is no whole number or whose
 * {@code FModifyDate} is no date-time cannot be placed in the keyset order; the forward read and the
 * snapshot dead-letter it in the transaction of its page, and the page's position is its last
 * customer that can be read. Kingdee still orders such a row by its real value, so a row after that
 * customer is read again by the next page, which recognises it and does not dead-letter it twice.
 * A full page without one customer that can be read gives no position to go on from: the job fails
 * with the reason. The look-back fetches a row whose date it cannot read whole, like a late
 * version, and dead-letters it unless it was lately; it passes over a row whose key it cannot read.
 */
public final class JobRunner implements AutoCloseable {

    static final String SNAPSHOT_ORDER = "FCUSTID ASC";
    static final String INCREMENTAL_ORDER = "FModifyDate ASC,FCUSTID ASC";
    /** What the look-back reads of each row. */
    static final List<String> LOOK_BACK_KEYS = List.of("FCUSTID", "FModifyDate");
    /** Customers whose whole rows one look-back query fetches. */
    static final int LATE_BATCH = 50;
    /** How many dead letters a job remembers, to pass over rows it meets again: two of the largest pages. */
    static final int RECENT_DEAD_LETTERS = 4_000;

    private final JobSpec spec;
    private final KingdeeQuery query;
    private final PageFetcher fetcher;
    private final PageSink sink;
    private final Clock clock;
    private final ZoneId zone;
    private final ExtractorMetrics metrics;
    private final Prefetch prefetch;
    private Checkpoint state;
    /** The versions published within the overlap window. */
    private PublishedVersions versions;
    /** Where the forward read goes on: after ({@code FModifyDate}, {@code FCUSTID}); a null key lies after every row of the date. */
    private LocalDateTime positionDate;
    private String positionKey;
    private Instant lastLookBack;
    /** Versions dated before this were looked at after every save stamped then had committed (null: none yet). */
    private LocalDateTime settledBefore;
    private int listedKeys = Checkpoint.MAX_LISTED_KEYS;
    /**
     * Digests of the dead letters committed lately, the newest {@value #RECENT_DEAD_LETTERS}: a row
     * after the position that a later read meets again is not dead-lettered twice.
     */
    private final Set<String> deadLettered = Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_DEAD_LETTERS;
        }
    });
    /** Those of the page being published, added once it committed. */
    private List<String> deadLetteredPending = List.of();

    JobRunner(JobSpec spec, KingdeeQuery query, PageFetcher fetcher, PageSink sink, Clock clock, ZoneId zone,
            ExtractorMetrics metrics, Checkpoint committed) {
        this(spec, query, fetcher, sink, clock, zone, metrics, committed, Prefetch.inline());
    }

    /**
     * @param committed the checkpoint to resume from; null for a first run (snapshot)
     * @param prefetch  reads the next page ahead; closed with the runner
     */
    public JobRunner(JobSpec spec, KingdeeQuery query, PageFetcher fetcher, PageSink sink, Clock clock, ZoneId zone,
            ExtractorMetrics metrics, Checkpoint committed, Prefetch prefetch) {
        this.prefetch = prefetch;
        this.spec = spec;
        this.query = query;
        this.fetcher = fetcher;
        this.sink = sink;
        this.clock = clock;
        this.zone = zone;
        this.metrics = metrics;
        this.state = committed;
        this.versions = PublishedVersions.of(committed);
        UnreadableCustomer.REASONS.forEach(reason -> metrics.deadLetters(spec.id(), reason, 0));
        if (committed != null && committed.snapshotComplete()) {
            this.positionDate = committed.watermark();
            this.positionKey = committed.watermarkKey();
        }
    }

    /** Lists at most {@code max} version keys in a checkpoint (default {@link Checkpoint#MAX_LISTED_KEYS}). */
    JobRunner listAtMost(int max) {
        this.listedKeys = max;
        return this;
    }

    /** The last committed checkpoint, or null before the first commit. */
    Checkpoint state() {
        return state;
    }

    /** Ends the read-ahead, interrupting a read that runs. */
    @Override
    public void close() {
        prefetch.close();
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
        checkInterrupt();
        PageFetcher.Page page = snapshotPage(base.resumeAfter());
        // the pages after the first, each read as soon as the one before it is (the next query does not wait for a commit)
        Prefetch.Pending<PageFetcher.Page> pages = null;
        while (true) {
            FoldedCustomer lastCustomer = page.lastCustomer();
            requirePosition(page, lastCustomer);
            String last = lastCustomer == null ? base.resumeAfter() : lastCustomer.customerId();
            if (pages == null && !page.last()) {
                pages = prefetch.chain(last, this::snapshotPage, JobRunner::snapshotCursor);
            }
            Prefetch.Pending<PageFetcher.Page> following = page.last() ? null : pages;
            List<FoldedCustomer> added = new ArrayList<>();
            for (FoldedCustomer c : customers(page, following)) {
                if (low == null || (c.modifyDate() != null && !c.modifyDate().isBefore(low))) {
                    added.add(c);
                }
            }
            added.forEach(c -> versions.add(c.customerId(), c.modifyDate()));
            PublishedVersions.Listed listed = versions.listed(listedKeys);
            Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), page.last(), page.last() ? null : last,
                    base.watermark(), listed.keys(), base.rowsPublished() + page.customers().size(), clock.instant(), null, listed.from());
            publishThen(page.customers(), deadLetters(page), CustomerRow.Phase.SNAPSHOT, next, following);
            base = next;
            if (following == null) {
                positionDate = next.watermark();
                positionKey = null;
                return;
            }
            checkInterrupt(following);
            page = following.get();
        }
    }

    /** The key the snapshot's page after {@code page} starts after; null when there is none or it cannot be had. */
    private static String snapshotCursor(PageFetcher.Page page) {
        FoldedCustomer last = page.last() ? null : page.lastCustomer();
        return last == null ? null : last.customerId();
    }

    private PageFetcher.Page snapshotPage(String resumeAfter) throws InterruptedException {
        String keyset = resumeAfter == null ? "" : "FCUSTID > " + literal(resumeAfter);
        return fetcher.fetch(and(spec.filter(), keyset), SNAPSHOT_ORDER);
    }

    /** Reads on from the position, then looks back for late commits when that is due. */
    private void poll() throws InterruptedException {
        forward();
        Instant now = clock.instant();
        if (lastLookBack == null || !now.isBefore(lastLookBack.plus(spec.lookBackInterval()))) {
            lookBack();
            lastLookBack = now;
        }
    }

    /** Every row after the position, in ({@code FModifyDate}, {@code FCUSTID}) order; the position follows the last row read. */
    private void forward() throws InterruptedException {
        checkInterrupt();
        PageFetcher.Page page = fetcher.fetch(and(spec.filter(), after(positionDate, positionKey)), INCREMENTAL_ORDER);
        Prefetch.Pending<PageFetcher.Page> pages = null;
        while (true) {
            Prefetch.Pending<PageFetcher.Page> following = null;
            FoldedCustomer cursor = page.lastCustomer();
            requirePosition(page, cursor);
            if (!page.last() && cursor != null) {
                if (pages == null) {
                    pages = prefetch.chain(cursor, this::pollPage, JobRunner::pollCursor);
                }
                following = pages;
            }
            List<FoldedCustomer> fresh = new ArrayList<>();
            for (FoldedCustomer c : customers(page, following)) {
                if (!versions.contains(c.customerId(), c.modifyDate())) {
                    fresh.add(c);
                }
            }
            if (cursor != null && cursor.modifyDate() != null) {
                positionDate = cursor.modifyDate();
                positionKey = cursor.customerId();
            }
            List<DeadLetter> dead = deadLetters(page);
            if (!fresh.isEmpty() || !dead.isEmpty()) {
                commitVersions(fresh, dead, following);
            }
            if (following == null) {
                return;
            }
            checkInterrupt(following);
            page = following.get();
        }
    }

    /**
     * Looks again at the overlap window behind the position for versions not yet published (saves
     * that committed after the forward read passed their place). It reads only {@code FCUSTID} and
     * {@code FModifyDate}, then fetches the whole rows of the versions it has not published.
     */
    private void lookBack() throws InterruptedException {
        if (positionDate == null) {
            return;
        }
        // every save stamped before now - overlap has committed: once looked at after that, a date is settled
        LocalDateTime settling = LocalDateTime.now(clock.withZone(zone)).minus(spec.overlap());
        LocalDateTime from = positionDate.minus(spec.overlap());
        if (settledBefore != null && settledBefore.isAfter(from)) {
            from = settledBefore;
        }
        if (from.isAfter(positionDate)) {
            settledBefore = settling;
            return;
        }
        String window = "FModifyDate >= " + ValueNormalizer.filterLiteral(from) + " AND " + upTo(positionDate, positionKey);
        List<String> late = new ArrayList<>();
        LocalDateTime afterDate = null;
        String afterKey = null;
        while (true) {
            checkInterrupt();
            String keyset = afterDate == null ? window : window + " AND " + after(afterDate, afterKey);
            List<JsonNode[]> rows = query.execute(new BillQuery(spec.formId(), LOOK_BACK_KEYS, and(spec.filter(), keyset),
                    INCREMENTAL_ORDER, 0, spec.pageSize()));
            metrics.lookBackRows(spec.id(), rows.size());
            boolean advanced = false;
            for (JsonNode[] row : rows) {
                // a row whose key cannot be read cannot be fetched again: passed over; one whose date
                // cannot be read is fetched whole and dead-lettered unless it was lately
                String id = RowFolder.idText(row[0]);
                LocalDateTime date = id == null ? null : readableDate(row[1]);
                boolean unreadableDate = id != null && date == null && !ValueNormalizer.isEmpty(row[1]);
                if ((unreadableDate || date != null && !versions.contains(id, date))
                        && (late.isEmpty() || !late.get(late.size() - 1).equals(id))) {
                    late.add(id);
                }
                if (date != null) {
                    afterDate = date;
                    afterKey = id;
                    advanced = true;
                }
            }
            if (rows.size() < spec.pageSize() || !advanced) {
                break;
            }
        }
        for (int i = 0; i < late.size(); i += LATE_BATCH) {
            publishLate(late.subList(i, Math.min(late.size(), i + LATE_BATCH)), from);
        }
        settledBefore = settling;
    }

    /**
     * Fetches whole rows of these customers and publishes the versions behind the position not yet
     * published; a customer whose date cannot be read is dead-lettered unless it was lately.
     */
    private void publishLate(List<String> ids, LocalDateTime from) throws InterruptedException {
        StringBuilder anyOf = new StringBuilder("(");
        for (String id : ids) {
            anyOf.append(anyOf.length() > 1 ? " OR " : "").append("FCUSTID = ").append(literal(id));
        }
        String filter = and(spec.filter(), anyOf.append(')').toString());
        FoldedCustomer cursor = null;
        while (true) {
            checkInterrupt();
            PageFetcher.Page page = fetcher.fetch(cursor == null ? filter : and(filter, after(cursor.modifyDate(), cursor.customerId())),
                    INCREMENTAL_ORDER);
            List<FoldedCustomer> fresh = new ArrayList<>();
            for (FoldedCustomer c : page.customers()) {
                if (c.modifyDate() != null && !c.modifyDate().isBefore(from) && !isAfterPosition(c)
                        && !versions.contains(c.customerId(), c.modifyDate())) {
                    fresh.add(c);
                }
            }
            List<DeadLetter> dead = deadLetters(page);
            if (!fresh.isEmpty()) {
                metrics.lateVersions(spec.id(), fresh.size());
            }
            if (!fresh.isEmpty() || !dead.isEmpty()) {
                commitVersions(fresh, dead, null);
            }
            cursor = page.lastCustomer();
            if (page.last() || cursor == null || cursor.modifyDate() == null) {
                return;
            }
        }
    }

    private boolean isAfterPosition(FoldedCustomer c) {
        int byDate = c.modifyDate().compareTo(positionDate);
        return byDate > 0 || (byDate == 0 && positionKey != null && compareIds(c.customerId(), positionKey) > 0);
    }

    /** Publishes new versions with a checkpoint at the current position. */
    private void commitVersions(List<FoldedCustomer> fresh, List<DeadLetter> dead, Prefetch.Pending<PageFetcher.Page> following) {
        fresh.forEach(c -> versions.add(c.customerId(), c.modifyDate()));
        versions.forgetBefore(positionDate == null ? null : positionDate.minus(spec.overlap()));
        PublishedVersions.Listed listed = versions.listed(listedKeys);
        Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), true, null, positionDate, listed.keys(),
                state.rowsPublished() + fresh.size(), clock.instant(), positionKey, listed.from());
        publishThen(fresh, dead, CustomerRow.Phase.INCREMENTAL, next, following);
    }

    /** The customer the forward read's page after {@code page} starts after; null when there is none or it cannot be had. */
    private static FoldedCustomer pollCursor(PageFetcher.Page page) {
        return page.last() ? null : page.lastCustomer();
    }

    /** The forward read's page after {@code cursor}. */
    private PageFetcher.Page pollPage(FoldedCustomer cursor) throws InterruptedException {
        String condition;
        if (cursor.modifyDate() == null) {
            condition = "((FModifyDate IS NULL AND FCUSTID > " + literal(cursor.customerId()) + ") OR FModifyDate IS NOT NULL)";
        } else {
            condition = after(cursor.modifyDate(), cursor.customerId());
        }
        return fetcher.fetch(and(spec.filter(), condition), INCREMENTAL_ORDER);
    }

    /** Rows after the keyset position ({@code date}, {@code key}); a null key lies after every row of the date. */
    private static String after(LocalDateTime date, String key) {
        if (date == null) {
            return "";
        }
        String m = ValueNormalizer.filterLiteral(date);
        if (key == null) {
            return "FModifyDate > " + m;
        }
        return "(FModifyDate > " + m + " OR (FModifyDate = " + m + " AND FCUSTID > " + literal(key) + "))";
    }

    /** Rows at or before the keyset position ({@code date}, {@code key}). */
    private static String upTo(LocalDateTime date, String key) {
        String m = ValueNormalizer.filterLiteral(date);
        if (key == null) {
            return "FModifyDate <= " + m;
        }
        return "(FModifyDate < " + m + " OR (FModifyDate = " + m + " AND FCUSTID <= " + literal(key) + "))";
    }

    /** The page's customers; rows Kingdee sent that cannot be read abandon the read ahead. */
    private static List<FoldedCustomer> customers(PageFetcher.Page page, Prefetch.Pending<PageFetcher.Page> following) {
        try {
            return page.customers();
        } catch (RuntimeException e) {
            if (following != null) {
                following.cancel();
            }
            throw e;
        }
    }

    /** Publishes a page while the next one is read; a failed publish abandons that read. */
    private void publishThen(List<FoldedCustomer> customers, List<DeadLetter> dead, CustomerRow.Phase phase, Checkpoint next,
            Prefetch.Pending<PageFetcher.Page> following) {
        try {
            publish(customers, dead, phase, next);
        } catch (RuntimeException | Error e) {
            if (following != null) {
                following.cancel();
            }
            // nothing was published: the job goes on from what it committed
            versions = PublishedVersions.of(state);
            if (state != null && state.snapshotComplete()) {
                positionDate = state.watermark();
                positionKey = state.watermarkKey();
            }
            throw e;
        }
    }

    private void publish(List<FoldedCustomer> customers, List<DeadLetter> dead, CustomerRow.Phase phase, Checkpoint next) {
        Instant now = clock.instant();
        List<CustomerRow> rows = new ArrayList<>(customers.size());
        for (FoldedCustomer c : customers) {
            rows.add(CustomerRow.of(spec.account(), spec.formId(), c.customerId(), modifiedAt(c), now, phase, c.fields()));
        }
        sink.commit(rows, dead, next);
        state = next;
        deadLettered.addAll(deadLetteredPending);
        deadLetteredPending = List.of();
        metrics.rowsExtracted(spec.id(), phase, rows.size());
        for (DeadLetter d : dead) {
            metrics.deadLetters(spec.id(), d.reason(), 1);
        }
    }

    /**
     * A page that is not the last must have a customer that can be read: the next page starts after
     * it. Without one (a whole page of rows whose key or date cannot be read) the read cannot go on.
     */
    private void requirePosition(PageFetcher.Page page, FoldedCustomer last) {
        if (!page.last() && last == null) {
            List<UnreadableCustomer> bad = page.unreadable();
            throw new IllegalArgumentException("a full page of " + spec.pageSize() + " rows has no customer whose FCUSTID and "
                    + "FModifyDate can be read, so the read cannot go on after it"
                    + (bad.isEmpty() ? "" : " (first: " + bad.get(0).message() + ")"));
        }
    }

    /**
     * The dead letters of a page: its customers that cannot be read, except those dead-lettered
     * lately (rows after a page's position, read again; the newest rows, whose date the snapshot
     * could not take as its watermark, read again by the first poll).
     */
    private List<DeadLetter> deadLetters(PageFetcher.Page page) {
        List<UnreadableCustomer> bad = page.unreadable();
        deadLetteredPending = List.of();
        if (bad.isEmpty()) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        List<DeadLetter> out = new ArrayList<>(bad.size());
        for (UnreadableCustomer u : bad) {
            byte[] value = deadLetterValue(u).getBytes(StandardCharsets.UTF_8);
            String digest = digest(value);
            if (seen.add(digest) && !deadLettered.contains(digest)) {
                out.add(new DeadLetter(u.customerId() == null ? null : CustomerRow.key(spec.account(), u.customerId()),
                        value, u.reason(), u.message()));
            }
        }
        deadLetteredPending = List.copyOf(seen);
        return out;
    }

    private static String digest(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The rows as Kingdee sent them, with the job, form and field keys they answer. */
    private String deadLetterValue(UnreadableCustomer u) {
        ObjectNode v = Json.mapper().createObjectNode();
        v.put("jobId", spec.id());
        v.put("account", spec.account());
        v.put("formId", spec.formId());
        ArrayNode keys = v.putArray("fieldKeys");
        spec.fieldKeys().forEach(keys::add);
        ArrayNode rows = v.putArray("rows");
        for (JsonNode[] line : u.lines()) {
            ArrayNode row = rows.addArray();
            for (JsonNode cell : line) {
                row.add(cell);
            }
        }
        try {
            return Json.mapper().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a dead letter of job " + spec.id(), e);
        }
    }

    /** A date-time from a look-back row, or null when there is none or it cannot be read. */
    private static LocalDateTime readableDate(JsonNode value) {
        if (value == null || value.isNull() || !value.isTextual()) {
            return null;
        }
        try {
            return ValueNormalizer.parseDate(value.asText());
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    private Instant modifiedAt(FoldedCustomer c) {
        if (c.modifyDate() != null) {
            return c.modifyDate().atZone(zone).toInstant();
        }
        JsonNode created = c.fields().get("FCreateDate");
        if (created != null && created.isTextual()) {
            try {
                return OffsetDateTime.parse(created.asText()).toInstant();
            } catch (DateTimeParseException notADate) {
                return Instant.EPOCH;
            }
        }
        return Instant.EPOCH;
    }

    /** The greatest {@code FModifyDate} of the job's rows now, or null when it has none. */
    private LocalDateTime maxModifyDate() throws InterruptedException {
        int limit = Math.min(spec.pageSize(), MAX_DATE_ROWS);
        List<JsonNode[]> rows = query.execute(new BillQuery(spec.formId(), List.of("FModifyDate"), spec.filter(), "FModifyDate DESC", 0, limit));
        // newest first; a date that cannot be read is passed over (the snapshot dead-letters its customer)
        for (JsonNode[] row : rows) {
            if (row[0] == null || row[0].isNull()) {
                return null;
            }
            LocalDateTime date = readableDate(row[0]);
            if (date != null) {
                return date;
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        throw new IllegalArgumentException("none of the " + rows.size() + " newest FModifyDate values can be read as a date-time");
    }

    /** How many of the newest dates the snapshot reads to find the first it can read. */
    private static final int MAX_DATE_ROWS = 100;

    static String and(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        if (b == null || b.isBlank()) {
            return a;
        }
        return "(" + a + ") AND " + b;
    }

    /** Orders {@code FCUSTID}s as Kingdee does: numerically when both are numbers. */
    static int compareIds(String a, String b) {
        try {
            return new BigInteger(a).compareTo(new BigInteger(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
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

    private static void checkInterrupt(Prefetch.Pending<?> following) throws InterruptedException {
        if (Thread.interrupted()) {
            following.cancel();
            throw new InterruptedException("job stopped");
        }
    }
}
