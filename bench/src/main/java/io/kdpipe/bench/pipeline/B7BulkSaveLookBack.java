package io.kdpipe.bench.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.micrometer.core.instrument.Counter;

/**
 * B7: what a bulk save costs Kingdee. 40,000 sandbox customers; after the snapshot one save stamps
 * 36,000 of them with one {@code FModifyDate}; then nothing happens for two full overlap windows.
 * The extractor runs at its default poll interval (30 s), overlap (5 min) and look-back interval
 * (1 min), with the sandbox and the extractor on one clock running {@value #SPEED} times as fast
 * (the poll interval, a pause the extractor waits in real time, is divided by the same factor). Measured
 * from the save to the end of the quiet period: the whole customers Kingdee served per version
 * published (target at most 1.2), and, apart, the rows the look-back read with only
 * {@code FCUSTID} and {@code FModifyDate}.
 */
public final class B7BulkSaveLookBack {

    static final int SPEED = 10;
    private static final Duration POLL = Duration.ofSeconds(30);
    private static final Duration OVERLAP = Duration.ofMinutes(5);
    private static final Duration LOOK_BACK = Duration.ofMinutes(1);

    private B7BulkSaveLookBack() {
    }

    /** A clock that runs {@code speed} times as fast as the system's from the moment it is made. */
    static final class FastClock extends Clock {
        private final ZoneId zone;
        private final long speed;
        private final Instant origin;
        private final long originNanos;

        FastClock(ZoneId zone, long speed) {
            this(zone, speed, Instant.now(), System.nanoTime());
        }

        private FastClock(ZoneId zone, long speed, Instant origin, long originNanos) {
            this.zone = zone;
            this.speed = speed;
            this.origin = origin;
            this.originNanos = originNanos;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new FastClock(z, speed, origin, originNanos);
        }

        @Override
        public Instant instant() {
            return origin.plusNanos((System.nanoTime() - originNanos) * speed);
        }
    }

    public static List<Result> run(Ctx ctx) {
        int customers = ctx.scaled(40_000);
        int bulk = customers * 9 / 10;
        KingdeeSandboxOptions options = KingdeeSandboxOptions.defaults().withCustomers(customers);
        options = options.withClock(new FastClock(options.zone(), SPEED));
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(options)) {
            String id = ctx.id("b7");
            Map<String, String> env = Services.extractorEnv(ctx.kafka().bootstrap(), id + ".", kingdee, id);
            env.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", POLL.dividedBy(SPEED).toMillis() + "ms");
            env.put("KDPIPE_EXTRACTOR_LOOKBACK_INTERVAL", LOOK_BACK.toMinutes() + "m"); // on the extractor's clock, as fast as the sandbox's
            env.put("KDPIPE_EXTRACTOR_OVERLAP", OVERLAP.toMinutes() + "m");
            long expected = kingdee.table().size();
            try (ServiceRuntime extractor = Services.extractor(env, options.clock())) {
                if (!Services.await(Duration.ofMinutes(10), Duration.ofMillis(100), () -> rows(extractor) >= expected)) {
                    throw new IllegalStateException("snapshot incomplete: " + rows(extractor) + " of " + expected);
                }
                double published0 = rows(extractor);
                long full0 = kingdee.fullRowsServed();
                long customers0 = kingdee.fullCustomersServed();
                long keys0 = kingdee.keyRowsServed();
                long queries0 = kingdee.calls("ExecuteBillQuery");
                List<Long> ids = new ArrayList<>(kingdee.table().ids());
                Collections.shuffle(ids, new Random(7));
                LocalDateTime at = kingdee.table().now();
                kingdee.table().saveAll(ids.subList(0, bulk), Map.of("FSELLER", 300_014L, "FSELLER.FNumber", "XSY014",
                        "FSELLER.FName", "赵六"), at);
                long t0 = System.nanoTime();
                if (!Services.await(Duration.ofMinutes(10), Duration.ofMillis(50), () -> rows(extractor) >= published0 + bulk)) {
                    throw new IllegalStateException("bulk save not published: " + (rows(extractor) - published0) + " of " + bulk);
                }
                double publishSeconds = (System.nanoTime() - t0) / 1e9;
                LocalDateTime quietUntil = at.plus(OVERLAP.multipliedBy(2)).plus(LOOK_BACK);
                if (!Services.await(Duration.ofMinutes(10), Duration.ofMillis(100), () -> !kingdee.table().now().isBefore(quietUntil))) {
                    throw new IllegalStateException("the sandbox clock did not reach " + quietUntil);
                }
                double published = rows(extractor) - published0;
                long fullRows = kingdee.fullRowsServed() - full0;
                long fullCustomers = kingdee.fullCustomersServed() - customers0;
                long keyRows = kingdee.keyRowsServed() - keys0;
                long queries = kingdee.calls("ExecuteBillQuery") - queries0;
                double lookBackRows = count(extractor, "kdpipe.extractor.lookback.rows");
                double perVersion = fullCustomers / published;
                List<Result> results = new ArrayList<>();
                results.add(new Result("B7", "whole customers Kingdee served per version published, bulk save + 2 overlap windows",
                        perVersion, "customers/version", 1.0, perVersion, "<= 1.2", perVersion <= 1.2, String.format(
                                "%d customers, one save of %d with one FModifyDate, then quiet until %d min (sandbox time) after it; "
                                        + "poll %ds, overlap %dm, look-back every %dm (defaults), sandbox clock x%d; %.0f versions published "
                                        + "(in %.1f s wall), %d customers served with full fields in %d result rows (bank lines; %.3f rows "
                                        + "per version), %d ExecuteBillQuery calls",
                                customers, bulk, OVERLAP.multipliedBy(2).plus(LOOK_BACK).toMinutes(), POLL.toSeconds(), OVERLAP.toMinutes(),
                                LOOK_BACK.toMinutes(), SPEED, published, publishSeconds, fullCustomers, fullRows, fullRows / published,
                                queries)));
                results.add(Result.info("B7-keys", "look-back rows with FCUSTID and FModifyDate only, per version published",
                        keyRows / published, "rows/version", String.format(
                                "%d key-and-date rows served in the same period: %.1f look-backs' worth of the bulk save in %d min "
                                        + "with a look-back due every %d min (once a look-back has run one overlap after the save, its "
                                        + "timestamp is settled and not read again); the extractor counted %.0f look-back rows in all "
                                        + "(kdpipe_extractor_lookback_rows_total)",
                                keyRows, keyRows / (double) bulk, OVERLAP.multipliedBy(2).plus(LOOK_BACK).toMinutes(), LOOK_BACK.toMinutes(),
                                lookBackRows)));
                return results;
            }
        }
    }

    private static double rows(ServiceRuntime extractor) {
        return count(extractor, "kdpipe.extractor.rows.extracted");
    }

    private static double count(ServiceRuntime extractor, String name) {
        return extractor.registry().find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
