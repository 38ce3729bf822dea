package io.kdpipe.extractor.job;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.ValueNormalizer;

/**
 * The extraction of one job, step by step; each page is committed with its checkpoint before the
 * next is published, so the committed checkpoint always describes exactly what was published. The
 * next page's query may already run while a page commits ({@link Prefetch}): keyset paging needs
 * only the page's last key, and a read-ahead is used only once the page before it has committed.
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
 */
final class JobRunner {

    static final String SNAPSHOT_ORDER = "FCUSTID ASC";
    static final String INCREMENTAL_ORDER = "FModifyDate ASC,FCUSTID ASC";
    /** What the look-back reads of each row. */
    static final List<String> LOOK_BACK_KEYS = List.of("FCUSTID", "FModifyDate");
    /** Customers whose whole rows one look-back query fetches. */
    static final int LATE_BATCH = 50;

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

    JobRunner(JobSpec spec, KingdeeQuery query, PageFetcher fetcher, PageSink sink, Clock clock, ZoneId zone,
            ExtractorMetrics metrics, Checkpoint committed) {
        this(spec, query, fetcher, sink, clock, zone, metrics, committed, Prefetch.inline());
    }

    JobRunner(JobSpec spec, KingdeeQuery query, PageFetcher fetcher, PageSink sink, Clock clock, ZoneId zone,
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
        while (true) {
            FoldedCustomer lastCustomer = page.lastCustomer();
            String last = lastCustomer == null ? base.resumeAfter() : lastCustomer.customerId();
            Prefetch.Pending<PageFetcher.Page> following = page.last() ? null : prefetch.start(() -> folded(snapshotPage(last)));
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
            publishThen(page.customers(), CustomerRow.Phase.SNAPSHOT, next, following);
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
        while (true) {
            Prefetch.Pending<PageFetcher.Page> following = null;
            FoldedCustomer cursor = page.lastCustomer();
            if (!page.last() && cursor != null) {
                following = prefetch.start(() -> folded(pollPage(cursor)));
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
            if (!fresh.isEmpty()) {
                commitVersions(fresh, following);
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
            for (JsonNode[] row : rows) {
                String id = RowFolder.idText(row[0]);
                LocalDateTime date = row[1] == null || row[1].isNull() ? null : ValueNormalizer.parseDate(row[1].asText());
                if (date != null && !versions.contains(id, date) && (late.isEmpty() || !late.get(late.size() - 1).equals(id))) {
                    late.add(id);
                }
                if (date != null) {
                    afterDate = date;
                    afterKey = id;
                }
            }
            if (rows.size() < spec.pageSize() || afterDate == null) {
                break;
            }
        }
        for (int i = 0; i < late.size(); i += LATE_BATCH) {
            publishLate(late.subList(i, Math.min(late.size(), i + LATE_BATCH)), from);
        }
        settledBefore = settling;
    }

    /** Fetches whole rows of these customers and publishes the versions behind the position not yet published. */
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
            if (!fresh.isEmpty()) {
                metrics.lateVersions(spec.id(), fresh.size());
                commitVersions(fresh, null);
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
    private void commitVersions(List<FoldedCustomer> fresh, Prefetch.Pending<PageFetcher.Page> following) {
        fresh.forEach(c -> versions.add(c.customerId(), c.modifyDate()));
        versions.forgetBefore(positionDate == null ? null : positionDate.minus(spec.overlap()));
        PublishedVersions.Listed listed = versions.listed(listedKeys);
        Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), true, null, positionDate, listed.keys(),
                state.rowsPublished() + fresh.size(), clock.instant(), positionKey, listed.from());
        publishThen(fresh, CustomerRow.Phase.INCREMENTAL, next, following);
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

    /** A page read ahead is also folded ahead, while the job thread publishes the page before it. */
    private static PageFetcher.Page folded(PageFetcher.Page page) {
        page.customers();
        return page;
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
    private void publishThen(List<FoldedCustomer> customers, CustomerRow.Phase phase, Checkpoint next,
            Prefetch.Pending<PageFetcher.Page> following) {
        try {
            publish(customers, phase, next);
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
            try {
                return java.time.OffsetDateTime.parse(created.asText()).toInstant();
            } catch (java.time.format.DateTimeParseException notADate) {
                return Instant.EPOCH;
            }
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
