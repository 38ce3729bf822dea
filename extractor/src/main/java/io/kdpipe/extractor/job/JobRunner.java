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
 * next is published, so the committed checkpoint always describes exactly what was published. The
 * next page's query may already run while a page commits ({@link Prefetch}): keyset paging needs
 * only the page's last key, and a read-ahead is used only once the page before it has committed.
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
    private final Prefetch prefetch;
    private Checkpoint state;

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
            Map<String, LocalDateTime> keys = keys(base);
            for (FoldedCustomer c : customers(page, following)) {
                if (low == null || (c.modifyDate() != null && !c.modifyDate().isBefore(low))) {
                    keys.put(c.versionKey(), c.modifyDate());
                }
            }
            Checkpoint next = new Checkpoint(Checkpoint.VERSION, spec.id(), page.last(), page.last() ? null : last,
                    base.watermark(), List.copyOf(keys.keySet()), base.rowsPublished() + page.customers().size(), clock.instant());
            publishThen(page.customers(), CustomerRow.Phase.SNAPSHOT, next, following);
            base = next;
            if (following == null) {
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

    private void poll() throws InterruptedException {
        LocalDateTime lower = state.watermark() == null ? null : state.watermark().minus(spec.overlap());
        checkInterrupt();
        PageFetcher.Page page = pollPage(lower, null);
        while (true) {
            Prefetch.Pending<PageFetcher.Page> following = null;
            FoldedCustomer cursor = page.lastCustomer();
            if (!page.last() && cursor != null) {
                following = prefetch.start(() -> folded(pollPage(lower, cursor)));
            }
            Map<String, LocalDateTime> keys = keys(state);
            List<FoldedCustomer> fresh = new ArrayList<>();
            LocalDateTime watermark = state.watermark();
            for (FoldedCustomer c : customers(page, following)) {
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
                publishThen(fresh, CustomerRow.Phase.INCREMENTAL, next, following);
            }
            if (following == null) {
                return;
            }
            checkInterrupt(following);
            page = following.get();
        }
    }

    /** The poll's page after {@code cursor} (the first page when null), from {@code lower} on. */
    private PageFetcher.Page pollPage(LocalDateTime lower, FoldedCustomer cursor) throws InterruptedException {
        String condition;
        if (cursor == null) {
            condition = lower == null ? "" : "FModifyDate >= " + ValueNormalizer.filterLiteral(lower);
        } else if (cursor.modifyDate() == null) {
            condition = "((FModifyDate IS NULL AND FCUSTID > " + literal(cursor.customerId()) + ") OR FModifyDate IS NOT NULL)";
        } else {
            String m = ValueNormalizer.filterLiteral(cursor.modifyDate());
            condition = "(FModifyDate > " + m + " OR (FModifyDate = " + m + " AND FCUSTID > " + literal(cursor.customerId()) + "))";
        }
        return fetcher.fetch(and(spec.filter(), condition), INCREMENTAL_ORDER);
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

    private static void checkInterrupt(Prefetch.Pending<?> following) throws InterruptedException {
        if (Thread.interrupted()) {
            following.cancel();
            throw new InterruptedException("job stopped");
        }
    }
}
