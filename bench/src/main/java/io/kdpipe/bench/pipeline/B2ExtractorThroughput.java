package io.kdpipe.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;
import io.kdpipe.bench.report.Result;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.micrometer.core.instrument.Counter;

/**
 * B2: the extractor's snapshot of the Kingdee sandbox with a fixed latency per query, pages of
 * 2000, one job per use-organisation (three, so three queries in flight), against the API-bound
 * floor {@code queries × latency ÷ jobs}; and the same snapshot with no added latency, in rows/s.
 * An unmeasured snapshot of a tenth of the customers runs first, so JIT compilation does not land
 * in the first measured run. Each run also reports the CPU time this JVM (extractor, sandbox and
 * broker share it) used meanwhile, which varies much less than wall time on a shared machine.
 */
public final class B2ExtractorThroughput {

    static final String ROWS = "kdpipe_extractor_rows_extracted_total";
    private static final String QUERY = "ExecuteBillQuery";
    /** The Kingdee sandbox's request threads: work a real Kingdee does on its own servers. */
    private static final String SANDBOX_THREADS = "kingdee-sandbox-";
    /** The extractor's job and read-ahead threads (not its Kafka clients' network threads). */
    private static final String EXTRACTOR_THREADS = "extractor-";

    private B2ExtractorThroughput() {
    }

    public static List<Result> run(Ctx ctx) {
        int customers = ctx.scaled(100_000);
        List<Result> results = new ArrayList<>();
        // a small unmeasured snapshot first, so the JIT compiles the extractor's and the sandbox's paths
        // before the measured ones (otherwise whichever runs first also pays for compilation)
        try (KingdeeSandbox warm = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(Math.max(1_000, customers / 10)))) {
            snapshot(ctx, warm, warm.table().size());
        }
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(customers))) {
            int jobs = kingdee.options().useOrgs().size();
            long expected = kingdee.table().size();
            Duration latency = Duration.ofMillis(150);

            kingdee.faults().always(KingdeeFaults.delay(latency));
            Snapshot slow = snapshot(ctx, kingdee, expected);
            double floorSeconds = slow.queries * latency.toMillis() / 1000.0 / jobs;
            double ratio = floorSeconds / slow.seconds;
            results.add(new Result("B2", "extractor snapshot time, 150 ms per query, pages of 2000", slow.seconds, "s", floorSeconds,
                    ratio, "floor/time >= 0.9", ratio >= 0.9, String.format(
                            "%d customer rows (%d customers generated, %d use-orgs = %d jobs), %d queries incl. the M0 query per job; "
                                    + "floor = queries x 150 ms / %d jobs; time from the first query to the last row committed, after an unmeasured "
                                    + "warm-up snapshot of a tenth of the customers; "
                                    + "CPU of this JVM (extractor, sandbox, broker) meanwhile %.1f s, of which the sandbox's threads %.2f s "
                                    + "and the extractor's job and read-ahead threads at least %.2f s",
                            expected, customers, jobs, jobs, slow.queries, jobs, slow.cpuSeconds, slow.sandboxCpuSeconds,
                            slow.extractorCpuSeconds)));

            kingdee.faults().clear();
            Snapshot fast = snapshot(ctx, kingdee, expected);
            results.add(Result.info("B2-0", "extractor snapshot rows/s, zero added latency", expected / fast.seconds, "rows/s",
                    String.format("%d rows in %.2f s, %d queries, %d jobs; CPU of this JVM (extractor, sandbox, broker) meanwhile %.1f s, "
                            + "of which the sandbox's threads %.2f s and the extractor's job and read-ahead threads at least %.2f s",
                            expected, fast.seconds, fast.queries, jobs, fast.cpuSeconds, fast.sandboxCpuSeconds, fast.extractorCpuSeconds)));
        }
        return results;
    }

    /** The CPU time this JVM used during a snapshot: less noisy than wall time on a shared machine. */
    record Snapshot(double seconds, long queries, double cpuSeconds, double sandboxCpuSeconds, double extractorCpuSeconds) {
    }

    /**
     * CPU nanoseconds used so far by the live threads whose names start with {@code prefix}; a thread
     * that ends in between is not counted, so the difference of two readings is a lower bound.
     */
    private static long threadCpuNanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    private static double rows(ServiceRuntime extractor) {
        return extractor.registry().find("kdpipe.extractor.rows.extracted").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Snapshot snapshot(Ctx ctx, KingdeeSandbox kingdee, long expected) {
        String id = ctx.id("b2");
        Map<String, String> env = Services.extractorEnv(ctx.kafka().bootstrap(), id + ".", kingdee, id);
        env.put("KINGDEE_USE_ORGS", String.join(",", kingdee.options().useOrgs()));
        env.put("KINGDEE_PAGE_SIZE", "2000");
        env.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", "1h");
        long before = kingdee.calls(QUERY);
        try (ServiceRuntime extractor = Services.extractor(env)) {
            if (!Services.await(Duration.ofMinutes(2), Duration.ofMillis(2), () -> kingdee.calls(QUERY) > before)) {
                throw new IllegalStateException("the extractor made no query");
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            long sandbox0 = threadCpuNanos(SANDBOX_THREADS);
            long extractor0 = threadCpuNanos(EXTRACTOR_THREADS);
            // the counter behind kdpipe_extractor_rows_extracted_total, read in-process: scraping /metrics every
            // 20 ms would spend CPU on the very cores the extractor and the sandbox share
            if (!Services.await(Duration.ofMinutes(15), Duration.ofMillis(20), () -> rows(extractor) >= expected)) {
                throw new IllegalStateException("snapshot incomplete: " + Services.metric(extractor.port(), ROWS) + " of " + expected);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Snapshot(seconds, kingdee.calls(QUERY) - before, (processCpuNanos() - cpu0) / 1e9,
                    (threadCpuNanos(SANDBOX_THREADS) - sandbox0) / 1e9, (threadCpuNanos(EXTRACTOR_THREADS) - extractor0) / 1e9);
        }
    }
}
