package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.TransformerTopology;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * B1: the transformer's records/s with exactly-once, against a plain consumer→producer copy of the
 * same records on the same broker, and against the naive exactly-once dedup topology a user would
 * write ({@link NaiveDedupTopology}, B1-naive), the same on bytes ({@link FloorTopology}, B1-floor: the
 * least that state per customer and one record per change cost), the transformer's own per-row work with
 * the fewest writes ({@link WorkTopology}, B1-work: the bound for any design that does that work) and a
 * stateless exactly-once copy ({@link EosCopyTopology}, B1-eoscopy: the ceiling exactly-once itself sets)
 * on the same input.
 * Rows: {@code 4 × customers} (new, address change, save without change, approval), round by round,
 * 24 salespeople in the directory.
 *
 * <p>Each application runs in a JVM of its own ({@link AppJvm}, {@link B1App}); this JVM keeps the
 * broker, and first runs the same application (the transformer: at its defaults) on an input of its own,
 * unmeasured ({@link #prime}). Each is timed in its steady state: it first takes at least {@link #WARM_ROWS} rows of other
 * customers, unmeasured, then its JVM is left to go quiet, then the timed rows are committed in one
 * transaction and the run is timed from that commit to the last committed offset (see
 * {@link #steady}). The notes split the CPU of the timed part by process (the application's JVM,
 * this one) and by thread group within the application's JVM.
 */
public final class B1TransformerThroughput {

    /** A result id suffix and the transformer settings that differ from the defaults. */
    record Variant(String suffix, Map<String, String> settings) {
    }

    /**
     * The default settings first (a stream thread per CPU the JVM sees); then the commit intervals around
     * the default (100 ms, Kafka Streams' exactly-once default), one stream thread, and the cost of digests.
     */
    private static final List<Variant> VARIANTS = List.of(
            new Variant("", Map.of()),
            new Variant("-commit500ms", Map.of("KAFKA_COMMIT_INTERVAL_MS", "500")),
            new Variant("-commit1s", Map.of("KAFKA_COMMIT_INTERVAL_MS", "1000")),
            new Variant("-threads1", Map.of("KDPIPE_STREAM_THREADS", "1")),
            new Variant("-nodigest", Map.of("KDPIPE_DIGEST_ENABLED", "false")));

    /**
     * Rows a JVM's first application takes, unmeasured, before its timed part: enough for the JIT to have
     * compiled the hot paths at its top tier on two cores. With fewer (one part of 100k rows), the JIT
     * still spent half a core compiling the transformer's per-row code inside the timed part: under a long
     * queue the JIT holds a method back from its top tier, and drops it from the queue once it goes idle.
     */
    static final long WARM_ROWS = 300_000;

    private B1TransformerThroughput() {
    }

    public static List<Result> run(Ctx ctx) throws Exception {
        int customers = ctx.scaled(50_000);
        int versions = 4;
        long total = (long) customers * versions;
        Kafka kafka = ctx.kafka();
        // every application takes at least WARM_ROWS rows of other customers before it is timed, so each holds state
        // for as many customers when it is (the transformer's variants too, though their JVM is warm by then)
        int firstWarmParts = (int) Math.max(1, (WARM_ROWS + total - 1) / total);
        Input in = new Input(kafka, customers, versions, firstWarmParts);

        // reference: a plain copy of the same records (at least once, no transactions, no state)
        String copyPrefix = ctx.id("b1-copy-in") + ".";
        String copyInput = in.load(copyPrefix);
        String copyGroup = ctx.id("b1-copy");
        kafka.ensure(copyPrefix + "copy.", List.of(Topics.CUSTOMERS));
        // each JVM is first primed by the same application on an input of its own (prime)
        Input primeIn = in.priming();
        String copyPrimePrefix = ctx.id("b1-copy-prime-in") + ".";
        String copyPrimeInput = primeIn.load(copyPrimePrefix);
        String copyPrimeGroup = ctx.id("b1-copy-prime");
        kafka.ensure(copyPrimePrefix + "copy.", List.of(Topics.CUSTOMERS));
        Timed copy;
        try (AppJvm jvm = AppJvm.start(ctx.scratch("b1-copy-jvm"),
                List.of(copySpec(kafka, copyPrimeGroup, copyPrimeInput, Topics.CUSTOMERS.name(copyPrimePrefix + "copy.")),
                        copySpec(kafka, copyGroup, copyInput, Topics.CUSTOMERS.name(copyPrefix + "copy."))))) {
            prime(jvm, 0, primeIn, copyPrimeInput, copyPrimeGroup, () -> true);
            copy = steady(jvm, 1, in, copyInput, copyGroup, ctx.run(), () -> true, () -> {
            });
        }
        double reference = copy.rate();

        // reference: the naive exactly-once dedup topology (last fingerprint per key, emit on change)
        StreamsRun naiveRun = runStreams(ctx, "b1-naive", in, Map.of());
        double naive = naiveRun.timed().rate();
        Map<String, Long> naiveWrites = naiveRun.writes();
        // the same topology with the transformer's producer batch size, which a user writing from Kafka's
        // examples would not set: how much of the difference the batch size makes
        StreamsRun tunedRun = runStreams(ctx, "b1-naive-tuned", in, Map.of("streams." + StreamsConfig.producerPrefix(
                ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(TransformerTopology.DEFAULT_PRODUCER_BATCH_BYTES)));
        double tuned = tunedRun.timed().rate();
        // the floor for any design that keeps state per customer and writes once per change: B1-naive-tuned
        // without reading or writing rows (bytes in, a fingerprint of the bytes, bytes out)
        StreamsRun floorRun = runStreams(ctx, "b1-floor", in, Map.of("streams." + StreamsConfig.producerPrefix(
                ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(TransformerTopology.DEFAULT_PRODUCER_BATCH_BYTES)));
        double floor = floorRun.timed().rate();
        // the transformer's own per-row work with the fewest writes (no trail, no digest stage): a bound for any
        // design that reads rows, tells changes and builds notices with these classes on these cores
        StreamsRun workRun = runWork(ctx, in);
        double work = workRun.timed().rate();
        // the exactly-once ceiling: the same input copied by a stateless exactly_once_v2 application
        StreamsRun eosCopyRun = runStreams(ctx, "b1-eoscopy", in, Map.of());
        double eosCopy = eosCopyRun.timed().rate();
        Map<String, Long> eosCopyWrites = eosCopyRun.writes();

        String scale = total == 200_000 ? "200k rows over 50k customers" : String.format("%d rows over %d customers (scaled)", total, customers);
        String notes = scale + " (timed: the last part of each application's input, after at least 300k unmeasured rows; see B1's description); reference = plain "
                + "consumer->producer copy (acks=all, commitSync per poll) of the same records on the same broker; each application in "
                + "a JVM of its own (-Xmx1g), primed by the same application on one part of an input of its own, unmeasured and closed "
                + "before the timed application starts; rates from committed input offsets";
        List<Result> results = new ArrayList<>();
        results.add(new Result("B1-eoscopy", "stateless exactly_once_v2 copy records/s (the exactly-once ceiling)",
                eosCopy, "rows/s", reference, eosCopy / reference, "report", null,
                String.format("%s; Kafka Streams bytes in, bytes out, no state, 100 ms commits, the same producer setting as "
                        + "B1-naive; writes per input row: %s; %s; plain copy: %s", notes, perRow(eosCopyWrites, total),
                        eosCopyRun.timed().cpu(), copy.cpu())));
        results.add(new Result("B1-naive", "naive exactly_once_v2 dedup topology records/s (last fingerprint per key, emit on change)",
                naive, "rows/s", reference, naive / reference, "report", null,
                String.format("%s; writes per input row: %s; %s", notes, perRow(naiveWrites, total), naiveRun.timed().cpu())));
        results.add(new Result("B1-naive-tuned", "B1-naive with the transformer's producer batch size ("
                + TransformerTopology.DEFAULT_PRODUCER_BATCH_BYTES / 1024 + " KiB)", tuned, "rows/s", reference, tuned / reference,
                "report", null, String.format("%s; %.3f of B1-naive; writes per input row: %s; %s", notes, tuned / naive,
                        perRow(tunedRun.writes(), total), tunedRun.timed().cpu())));
        results.add(new Result("B1-floor", "B1-naive-tuned on bytes: no row read or written (the floor of state per customer "
                + "and one record per change)", floor, "rows/s", reference, floor / reference, "report", null,
                String.format("%s; %.3f of B1-naive-tuned; fingerprint = SHA-256 of the row's bytes less its version and read time, "
                        + "found by a byte search; the row copied out as it came; writes per input row: %s; %s", notes, floor / tuned,
                        perRow(floorRun.writes(), total), floorRun.timed().cpu())));
        results.add(new Result("B1-work", "the transformer's rows read, changes told, state kept and notices built and routed, each "
                + "notice written once: no trail, no digest stage (a bound, not a design)", work, "rows/s", reference, work / reference,
                "report", null, String.format("%s; %.3f of B1-floor; the transformer's classes (ChangeDetector, BuildNotice) and "
                        + "Streams settings; writes per input row: %s; %s", notes, work / floor, perRow(workRun.writes(), total),
                        workRun.timed().cpu())));

        // the transformer's variants, one after the other in one JVM of their own; each is a fresh
        // application on rows loaded into topics of its own: its digest stage reads only its own trail, and
        // a row counts when the digest stage has also read the trail event it wrote
        List<Variant> variants = selectedVariants();
        List<Map<String, String>> apps = new ArrayList<>();
        List<String> variantPrefixes = new ArrayList<>();
        List<String> variantIds = new ArrayList<>();
        // application 0 primes the JVM: the defaults on an input of their own, unmeasured
        Variant priming = new Variant("-prime", Map.of());
        for (Variant variant : concat(priming, variants)) {
            String id = ctx.id("b1-eos" + variant.suffix());
            String variantPrefix = ctx.id("b1" + variant.suffix() + "-in") + ".";
            Map<String, String> env = Services.transformerEnv(kafka.bootstrap(), variantPrefix, id,
                    ctx.scratch("b1-state" + variant.suffix()).toString());
            env.putAll(variant.settings());
            apps.add(transformerSpec(env));
            variantIds.add(id);
            variantPrefixes.add(variantPrefix);
        }
        try (AppJvm jvm = AppJvm.start(ctx.scratch("b1-transformer-jvm"), apps)) {
            String primeGroup = variantIds.get(0) + "-transformer";
            String primeTrail = Topics.TRAIL.name(variantPrefixes.get(0));
            prime(jvm, 0, primeIn, primeIn.load(variantPrefixes.get(0)), primeGroup,
                    () -> kafka.committed(primeGroup, primeTrail) >= kafka.endOffsets(primeTrail) - Topics.TRAIL.partitions());
            for (int i = 0; i < variants.size(); i++) {
                Variant variant = variants.get(i);
                int app = i + 1;
                String group = variantIds.get(app) + "-transformer";
                String variantInput = in.load(variantPrefixes.get(app));
                String trail = Topics.TRAIL.name(variantPrefixes.get(app));
                List<String> outputs = List.of(trail, Topics.NOTICES.name(variantPrefixes.get(app)));
                List<Map<String, Long>> before = new ArrayList<>();
                Timed run = steady(jvm, app, in, variantInput, group, ctx.run(),
                        () -> kafka.committed(group, trail) >= kafka.endOffsets(trail) - Topics.TRAIL.partitions(),
                        () -> before.add(writes(kafka, outputs, group)));
                Map<String, Long> written = minus(writes(kafka, outputs, group), before.get(0));
                double eos = run.rate();
                double ratio = eos / reference;
                double vsNaive = eos / naive;
                String what = variant.settings().isEmpty() ? "transformer records/s, exactly_once_v2 (default settings)"
                        : "transformer records/s, exactly_once_v2, " + variant.settings();
                results.add(new Result("B1" + variant.suffix(), what, eos, "rows/s", reference, ratio,
                        "ratio >= 0.5 and >= 1.0 x B1-naive", ratio >= 0.5 && vsNaive >= 1.0,
                        String.format("%s; %.3f of B1-naive (%,.0f rows/s); %.3f of the exactly-once ceiling B1-eoscopy (%,.0f rows/s, "
                                        + "itself %.3f of the copy); %.3f of B1-naive-tuned (%,.0f rows/s); %.3f of B1-floor (%,.0f rows/s); "
                                        + "%.3f of B1-work (%,.0f rows/s); "
                                        + "writes per input row: %s; B1-naive: %s; %s; B1-naive: %s",
                                notes, vsNaive, naive, eos / eosCopy, eosCopy, eosCopy / reference, eos / tuned, tuned, eos / floor, floor, eos / work, work,
                                perRow(written, total),
                                perRow(naiveWrites, total), run.cpu(), naiveRun.timed().cpu())));
            }
        }
        return results;
    }

    /**
     * A timed run: its input rate, and the CPU time the application's JVM (by thread group) and this JVM
     * (the broker, and the bench's polling of committed offsets) used from the moment the timed part of
     * the input became visible to its completion.
     */
    private record Timed(double rate, long rows, double seconds, double appCpuSeconds, double brokerCpuSeconds,
            Map<String, Double> appThreads) {

        String cpu() {
            double cores = Runtime.getRuntime().availableProcessors();
            StringBuilder threads = new StringBuilder();
            appThreads.forEach((group, cpu) -> threads.append(threads.length() == 0 ? "" : ", ")
                    .append(String.format("%s %.0f", group, 1e6 * cpu / rows)));
            return String.format("CPU per input row %.0f us = application JVM %.0f us (%s) + broker JVM %.0f us "
                            + "(%.1f s, %.0f%% of %.0f cores)", 1e6 * (appCpuSeconds + brokerCpuSeconds) / rows,
                    1e6 * appCpuSeconds / rows, threads, 1e6 * brokerCpuSeconds / rows, seconds,
                    100 * (appCpuSeconds + brokerCpuSeconds) / (seconds * cores), cores);
        }
    }

    /**
     * B1's input for one application: the directory, and for each part its customers' rows, round by
     * round. The unmeasured parts ({@code warmParts} × n customers) are loaded before the application
     * starts; the timed one (the next n customers, the same kinds of change in the same order) in one
     * transaction once the application has taken the unmeasured parts and its JVM has gone quiet.
     */
    private record Input(Kafka kafka, int customers, int versions, int warmParts) {

        /** Rows in the timed part. */
        long timed() {
            return (long) customers * versions;
        }

        /** Rows in the untimed part before it. */
        long warm() {
            return timed() * warmParts;
        }

        /** The input of an application that primes a JVM: one unmeasured part, of the same customers. */
        Input priming() {
            return new Input(kafka, customers, versions, 1);
        }

        /** Creates the topics under {@code prefix}, loads the directory and the unmeasured parts; returns the rows topic. */
        String load(String prefix) {
            kafka.ensure(prefix, List.of(Topics.CUSTOMERS, Topics.DIRECTORY, Topics.NOTICES, Topics.ROWS_DLT, Topics.TRAIL));
            String input = Topics.CUSTOMERS.name(prefix);
            List<ProducerRecord<byte[], byte[]>> load = new ArrayList<>();
            for (DirectoryEntry e : Rows.people(24, Instant.now())) {
                load.add(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e)));
            }
            load.addAll(rows(input, 0, warmParts * customers));
            kafka.produce(load);
            return input;
        }

        /** The rows of customers {@code first} to {@code first + count - 1}, round by round. */
        List<ProducerRecord<byte[], byte[]>> rows(String input, long first, int count) {
            List<ProducerRecord<byte[], byte[]>> rows = new ArrayList<>();
            for (int v = 0; v < versions; v++) {
                for (long id = first; id < first + count; id++) {
                    CustomerRow row = Rows.row(id, v, 24, true, CustomerRow.Phase.INCREMENTAL);
                    rows.add(new ProducerRecord<>(input, row.key().getBytes(StandardCharsets.UTF_8), CustomerRow.CODEC.encode(row)));
                }
            }
            return rows;
        }
    }

    /**
     * Runs application {@code n} of {@code jvm} over the unmeasured part of its input and closes it, so the
     * application timed next in that JVM finds the JIT's work on their common code done, as each later
     * variant of the transformer does (timed first without it, the defaults spent 14 µs per row in the
     * JIT, the variants after them 0 to 8: results/run-0d77e38.md).
     */
    private static void prime(AppJvm jvm, int n, Input in, String input, String group, BooleanSupplier alsoDone) {
        takeUnmeasured(jvm, n, in, input, group, alsoDone);
        jvm.closeApp();
    }

    /** Starts application {@code n} of {@code jvm} and waits until it has taken the unmeasured part of its input. */
    private static void takeUnmeasured(AppJvm jvm, int n, Input in, String input, String group, BooleanSupplier alsoDone) {
        Kafka kafka = in.kafka();
        long warm = in.warm();
        jvm.run(n);
        if (!Services.await(Duration.ofMinutes(10), Duration.ofMillis(200), () -> kafka.committed(group, input) >= warm
                && alsoDone.getAsBoolean())) {
            throw new IllegalStateException(group + " did not take the unmeasured part of its input within 10 minutes");
        }
    }

    private static <T> List<T> concat(T first, List<T> rest) {
        List<T> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /**
     * Times application {@code n} of {@code jvm} in its steady state: it takes the unmeasured part of the
     * input unmeasured (the JIT compiles its hot paths; its start-up, state stores and connections are
     * behind it), then the JVM is left to go quiet, then the timed part is committed in one transaction
     * and the run is timed from that commit until the group has committed the whole input and
     * {@code alsoDone} holds. {@code beforeTimed} runs just before the timed part is loaded.
     */
    private static Timed steady(AppJvm jvm, int n, Input in, String input, String group, String runId, BooleanSupplier alsoDone,
            Runnable beforeTimed) {
        Kafka kafka = in.kafka();
        long timed = in.timed();
        long warm = in.warm();
        takeUnmeasured(jvm, n, in, input, group, alsoDone);
        jvm.awaitQuiet();
        // this JVM's heap collected before the timed part: the broker's garbage from the unmeasured part is not
        // collected inside the application's timed window
        System.gc();
        beforeTimed.run();
        List<ProducerRecord<byte[], byte[]>> second = in.rows(input, (long) in.warmParts() * in.customers(), in.customers());
        long self = ProcessHandle.current().pid();
        double[] app0 = new double[1];
        double[] broker0 = new double[1];
        List<AppJvm.ThreadCpu> threads0 = new ArrayList<>();
        long[] t0 = new long[1];
        kafka.produceAtomically(second, () -> {
            app0[0] = jvm.cpuSeconds();
            broker0[0] = AppJvm.cpuSeconds(self);
            threads0.add(jvm.threadCpu(runId));
            t0[0] = System.nanoTime();
            jvm.note("timed");
        });
        double rate = Services.groupRate(kafka, group, input, warm + timed, Duration.ofMinutes(20), alsoDone);
        double seconds = (System.nanoTime() - t0[0]) / 1e9;
        jvm.note("done");
        double app = jvm.cpuSeconds() - app0[0];
        double broker = AppJvm.cpuSeconds(self) - broker0[0];
        Map<String, Double> threads = jvm.threadCpu(runId).since(threads0.get(0));
        jvm.closeApp();
        return new Timed(rate, timed, seconds, app, broker, threads);
    }

    /**
     * The variants named (by suffix, {@code default} for the defaults) in the system property
     * {@code kdpipe.bench.b1.variants}, comma-separated; all of them when it is not set. For trying one
     * change at a time: a full run reports every variant.
     */
    private static List<Variant> selectedVariants() {
        String names = System.getProperty("kdpipe.bench.b1.variants");
        List<Variant> selected = new ArrayList<>(VARIANTS);
        if (names != null && !names.isBlank()) {
            List<String> wanted = List.of(names.split(","));
            selected.removeIf(v -> !wanted.contains(v.suffix().isEmpty() ? "default" : v.suffix().substring(1)));
        }
        selected.addAll(extraVariants(System.getProperty("kdpipe.bench.b1.extra", "")));
        return selected;
    }

    /**
     * Variants defined on the command line, for trying a setting before it becomes a default:
     * {@code name:KEY=VALUE,KEY=VALUE;name2:...} (the transformer's environment variables).
     */
    static List<Variant> extraVariants(String spec) {
        List<Variant> extra = new ArrayList<>();
        for (String variant : spec.split(";")) {
            if (variant.isBlank()) {
                continue;
            }
            int colon = variant.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("kdpipe.bench.b1.extra: expected name:KEY=VALUE,..., got " + variant);
            }
            Map<String, String> settings = new HashMap<>();
            for (String setting : variant.substring(colon + 1).split(",")) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("kdpipe.bench.b1.extra: expected KEY=VALUE, got " + setting);
                }
                settings.put(setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
            }
            extra.add(new Variant("-" + variant.substring(0, colon).strip(), Map.copyOf(settings)));
        }
        return extra;
    }

    /** What a reference Kafka Streams application did: its timed run and the log entries it wrote in it. */
    private record StreamsRun(Timed timed, Map<String, Long> writes) {
    }

    /**
     * Runs the reference application {@code name} ({@code b1-naive}, {@code b1-naive-tuned}, {@code b1-floor} or {@code b1-eoscopy}), with
     * {@code settings} in its spec ({@link B1App}), over an input
     * of its own to an output topic of its own, in a JVM of its own, timed in its steady state.
     */
    private static StreamsRun runStreams(Ctx ctx, String name, Input in, Map<String, String> settings) {
        Kafka kafka = ctx.kafka();
        String kind = name.split("-")[1];
        String prefix = ctx.id(name + "-in") + ".";
        String input = in.load(prefix);
        String applicationId = ctx.id(name);
        kafka.ensure(prefix + kind + ".", List.of(Topics.CUSTOMERS));
        String output = Topics.CUSTOMERS.name(prefix + kind + ".");
        Input primeIn = in.priming();
        String primePrefix = ctx.id(name + "-prime-in") + ".";
        String primeInput = primeIn.load(primePrefix);
        String primeId = ctx.id(name + "-prime");
        kafka.ensure(primePrefix + kind + ".", List.of(Topics.CUSTOMERS));
        try (AppJvm jvm = AppJvm.start(ctx.scratch(name + "-jvm"),
                List.of(streamsSpec(kafka, kind, primeId, ctx.scratch(name + "-prime-state"), primeInput,
                                Topics.CUSTOMERS.name(primePrefix + kind + "."), settings),
                        streamsSpec(kafka, kind, applicationId, ctx.scratch(name + "-state"), input, output, settings)))) {
            prime(jvm, 0, primeIn, primeInput, primeId, () -> true);
            List<Map<String, Long>> before = new ArrayList<>();
            Timed run = steady(jvm, 1, in, input, applicationId, ctx.run(), () -> true,
                    () -> before.add(writes(kafka, List.of(output), applicationId)));
            return new StreamsRun(run, minus(writes(kafka, List.of(output), applicationId), before.get(0)));
        }
    }

    /**
     * Runs {@link WorkTopology} on the transformer's default settings over an input of its own, in a JVM of its
     * own primed by the same application, timed in its steady state as the reference applications are.
     */
    private static StreamsRun runWork(Ctx ctx, Input in) {
        Kafka kafka = ctx.kafka();
        String prefix = ctx.id("b1-work-in") + ".";
        String id = ctx.id("b1-work");
        String primePrefix = ctx.id("b1-work-prime-in") + ".";
        String primeId = ctx.id("b1-work-prime");
        Input primeIn = in.priming();
        String primeInput = primeIn.load(primePrefix);
        String input = in.load(prefix);
        List<Map<String, String>> apps = new ArrayList<>();
        for (String[] app : new String[][] {{primePrefix, primeId, "b1-work-prime-state"}, {prefix, id, "b1-work-state"}}) {
            Map<String, String> spec = transformerSpec(Services.transformerEnv(kafka.bootstrap(), app[0], app[1],
                    ctx.scratch(app[2]).toString()));
            spec.put("kind", "work");
            apps.add(spec);
        }
        String group = id + "-transformer";
        List<String> outputs = List.of(Topics.NOTICES.name(prefix));
        try (AppJvm jvm = AppJvm.start(ctx.scratch("b1-work-jvm"), apps)) {
            prime(jvm, 0, primeIn, primeInput, primeId + "-transformer", () -> true);
            List<Map<String, Long>> before = new ArrayList<>();
            Timed run = steady(jvm, 1, in, input, group, ctx.run(), () -> true, () -> before.add(writes(kafka, outputs, group)));
            return new StreamsRun(run, minus(writes(kafka, outputs, group), before.get(0)));
        }
    }

    private static Map<String, String> copySpec(Kafka kafka, String group, String input, String output) {
        return Map.of("kind", "copy", "bootstrap", kafka.bootstrap(), "group", group, "input", input, "output", output);
    }

    private static Map<String, String> streamsSpec(Kafka kafka, String kind, String applicationId, Path stateDir,
            String input, String output, Map<String, String> settings) {
        Map<String, String> spec = new HashMap<>(settings);
        spec.putAll(Map.of("kind", kind, "bootstrap", kafka.bootstrap(), "applicationId", applicationId, "stateDir", stateDir.toString(),
                "input", input, "output", output));
        return spec;
    }

    private static Map<String, String> transformerSpec(Map<String, String> env) {
        Map<String, String> spec = new HashMap<>();
        spec.put("kind", "transformer");
        env.forEach((k, v) -> spec.put("env." + k, v));
        return spec;
    }

    /**
     * Log entries on the topics an application writes (its changelog and repartition topics, and
     * {@code outputs}), by kind: per topic the committed records (read back with {@code read_committed}),
     * and in all the transaction markers and aborted records (end offsets minus committed records).
     */
    private static Map<String, Long> writes(Kafka kafka, List<String> outputs, String applicationId) {
        Map<String, Long> byKind = new java.util.LinkedHashMap<>();
        List<String> topics = new ArrayList<>(outputs);
        topics.addAll(kafka.topicsStartingWith(applicationId + "-"));
        long markers = 0;
        for (String topic : topics) {
            long end = kafka.endOffsets(topic);
            String kind = topic.startsWith(applicationId + "-") ? topic.substring(applicationId.length() + 1) : topic;
            if (topic.endsWith("-repartition")) {
                // purged as it is consumed: only the end offsets tell what was written
                byKind.put(kind + " (records and markers)", end);
                continue;
            }
            long records = kafka.committedRecords(topic);
            byKind.put(kind, records);
            markers += end - records;
        }
        byKind.put("markers and aborted records", markers);
        return byKind;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new java.util.LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    /** {@code total 2.31 = notices 0.75 + …}, per input row. */
    private static String perRow(Map<String, Long> writes, long rows) {
        long sum = writes.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder(String.format("%.2f =", sum / (double) rows));
        String sep = " ";
        for (Map.Entry<String, Long> e : writes.entrySet()) {
            out.append(sep).append(e.getKey()).append(' ').append(String.format("%.3f", e.getValue() / (double) rows));
            sep = " + ";
        }
        return out.toString();
    }
}
