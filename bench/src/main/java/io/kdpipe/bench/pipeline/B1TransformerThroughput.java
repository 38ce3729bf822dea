package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * B1: the transformer's records/s with exactly-once, against a plain consumer→producer copy of the
 * same records on the same broker, and against the naive exactly-once dedup topology a user would
 * write ({@link NaiveDedupTopology}, B1-naive) and against a stateless exactly-once copy
 * ({@link EosCopyTopology}, B1-eoscopy: the ceiling exactly-once itself sets) on the same input. Rows: {@code 4 × customers} (new, address change, save without
 * change, approval), round by round, 24 salespeople in the directory.
 */
public final class B1TransformerThroughput {

    /** A result id suffix and the transformer settings that differ from the defaults. */
    private record Variant(String suffix, Map<String, String> settings) {
    }

    /**
     * The default settings first (a stream thread per CPU the JVM sees); then the commit intervals around
     * the default (500 ms), one stream thread, and the cost of digests.
     */
    private static final List<Variant> VARIANTS = List.of(
            new Variant("", Map.of()),
            new Variant("-commit100ms", Map.of("KAFKA_COMMIT_INTERVAL_MS", "100")),
            new Variant("-commit1s", Map.of("KAFKA_COMMIT_INTERVAL_MS", "1000")),
            new Variant("-threads1", Map.of("KDPIPE_STREAM_THREADS", "1")),
            new Variant("-nodigest", Map.of("KDPIPE_DIGEST_ENABLED", "false")));

    private B1TransformerThroughput() {
    }

    public static List<Result> run(Ctx ctx) throws Exception {
        int customers = ctx.scaled(50_000);
        int versions = 4;
        long total = (long) customers * versions;
        Kafka kafka = ctx.kafka();
        String prefix = ctx.id("b1") + ".";
        String input = load(kafka, prefix, customers, versions);

        // reference: a plain copy of the same records (at least once, no transactions, no state)
        String copyGroup = ctx.id("b1-copy");
        kafka.ensure(prefix + "copy.", List.of(Topics.CUSTOMERS));
        String copyTopic = Topics.CUSTOMERS.name(prefix + "copy.");
        AtomicBoolean stop = new AtomicBoolean();
        Thread copier = new Thread(() -> copy(kafka, copyGroup, input, copyTopic, stop), "b1-copy");
        copier.start();
        double reference;
        try {
            reference = Services.groupRate(kafka, copyGroup, input, total, Duration.ofMinutes(10));
        } finally {
            stop.set(true);
            copier.join();
        }

        // reference: the naive exactly-once dedup topology (last fingerprint per key, emit on change)
        StreamsRun naiveRun = runStreams(ctx, "b1-naive", prefix, input, total, NaiveDedupTopology::build, NaiveDedupTopology::properties);
        double naive = naiveRun.rate();
        Map<String, Long> naiveWrites = naiveRun.writes();
        // the exactly-once ceiling: the same input copied by a stateless exactly_once_v2 application
        StreamsRun eosCopyRun = runStreams(ctx, "b1-eoscopy", prefix, input, total, EosCopyTopology::build, EosCopyTopology::properties);
        double eosCopy = eosCopyRun.rate();
        Map<String, Long> eosCopyWrites = eosCopyRun.writes();

        String scale = total == 200_000 ? "200k rows over 50k customers" : String.format("%d rows over %d customers (scaled)", total, customers);
        String notes = scale + "; reference = plain consumer->producer copy (acks=all, commitSync per poll) of the same "
                + "records on the same broker; rates from committed input offsets between first progress and completion";
        List<Result> results = new ArrayList<>();
        results.add(new Result("B1-eoscopy", "stateless exactly_once_v2 copy records/s (the exactly-once ceiling)",
                eosCopy, "rows/s", reference, eosCopy / reference, "report", null,
                String.format("%s; Kafka Streams bytes in, bytes out, no state, 100 ms commits, the same producer setting as "
                        + "B1-naive; writes per input row: %s", notes, perRow(eosCopyWrites, total))));
        results.add(new Result("B1-naive", "naive exactly_once_v2 dedup topology records/s (last fingerprint per key, emit on change)",
                naive, "rows/s", reference, naive / reference, "report", null,
                String.format("%s; writes per input row: %s", notes, perRow(naiveWrites, total))));
        // unmeasured warm-up, right before the variants: the whole input through a transformer of its own,
        // so the JIT has compiled Kafka Streams' and kdpipe's hot paths (again, after the reference topologies)
        // before the first variant is timed
        String warmup = ctx.id("b1-warmup");
        try (ServiceRuntime transformer = Services.transformer(Services.transformerEnv(kafka.bootstrap(), prefix, warmup,
                ctx.scratch("b1-warmup-state").toString()))) {
            Services.await(Duration.ofMinutes(10), Duration.ofMillis(200), () -> kafka.committed(warmup + "-transformer", input) >= total);
        }
        // each variant is a fresh application on the same rows, in topics of its own: its digest stage reads
        // only its own trail, and a row counts when the digest stage has also read the trail event it wrote
        for (Variant variant : selectedVariants()) {
            String id = ctx.id("b1-eos" + variant.suffix());
            String variantPrefix = ctx.id("b1" + variant.suffix() + "-in") + ".";
            String variantInput = load(kafka, variantPrefix, customers, versions);
            String trail = Topics.TRAIL.name(variantPrefix);
            Map<String, String> env = Services.transformerEnv(kafka.bootstrap(), variantPrefix, id,
                    ctx.scratch("b1-state" + variant.suffix()).toString());
            env.putAll(variant.settings());
            List<String> outputs = List.of(trail, Topics.NOTICES.name(variantPrefix));
            Map<String, Long> before = writes(kafka, outputs, id + "-transformer");
            double eos;
            try (ServiceRuntime transformer = Services.transformer(env)) {
                eos = Services.groupRate(kafka, id + "-transformer", variantInput, total, Duration.ofMinutes(20),
                        () -> kafka.committed(id + "-transformer", trail) >= kafka.endOffsets(trail) - Topics.TRAIL.partitions());
            }
            Map<String, Long> written = minus(writes(kafka, outputs, id + "-transformer"), before);
            double ratio = eos / reference;
            double vsNaive = eos / naive;
            String what = variant.settings().isEmpty() ? "transformer records/s, exactly_once_v2 (default settings)"
                    : "transformer records/s, exactly_once_v2, " + variant.settings();
            results.add(new Result("B1" + variant.suffix(), what, eos, "rows/s", reference, ratio,
                    "ratio >= 0.5 and >= 1.0 x B1-naive", ratio >= 0.5 && vsNaive >= 1.0,
                    String.format("%s; %.3f of B1-naive (%,.0f rows/s); %.3f of the exactly-once ceiling B1-eoscopy (%,.0f rows/s, "
                                    + "itself %.3f of the copy); writes per input row: %s; B1-naive: %s",
                            notes, vsNaive, naive, eos / eosCopy, eosCopy, eosCopy / reference, perRow(written, total),
                            perRow(naiveWrites, total))));
        }
        return results;
    }

    /**
     * The variants named (by suffix, {@code default} for the defaults) in the system property
     * {@code kdpipe.bench.b1.variants}, comma-separated; all of them when it is not set. For trying one
     * change at a time: a full run reports every variant.
     */
    private static List<Variant> selectedVariants() {
        String names = System.getProperty("kdpipe.bench.b1.variants");
        if (names == null || names.isBlank()) {
            return VARIANTS;
        }
        List<String> wanted = List.of(names.split(","));
        return VARIANTS.stream()
                .filter(v -> wanted.contains(v.suffix().isEmpty() ? "default" : v.suffix().substring(1)))
                .toList();
    }

    /** What a reference Kafka Streams application did: its input rate and the log entries it wrote. */
    private record StreamsRun(double rate, Map<String, Long> writes) {
    }

    /** How a reference application is configured: bootstrap servers, application id, state directory. */
    private interface StreamsProperties {
        Properties of(String bootstrap, String applicationId, String stateDir);
    }

    /**
     * Runs a reference application named {@code name} from {@code input} to a topic of its own under
     * {@code prefix}, over the whole input, and closes it; before it, the same topology warms up over the
     * whole input, unmeasured.
     */
    private static StreamsRun runStreams(Ctx ctx, String name, String prefix, String input, long total,
            BiFunction<String, String, Topology> topology, StreamsProperties properties) {
        Kafka kafka = ctx.kafka();
        String applicationId = ctx.id(name);
        String outputPrefix = prefix + name.substring(name.indexOf('-') + 1) + ".";
        kafka.ensure(outputPrefix, List.of(Topics.CUSTOMERS));
        String output = Topics.CUSTOMERS.name(outputPrefix);
        // unmeasured warm-up, as the transformer gets one: the same topology over the whole input, under an
        // application id and an output topic of its own, so the JIT has compiled its hot paths before it is timed
        String warmupId = ctx.id(name + "-warmup");
        String warmupPrefix = prefix + name.substring(name.indexOf('-') + 1) + "-warmup.";
        kafka.ensure(warmupPrefix, List.of(Topics.CUSTOMERS));
        try (KafkaStreams warm = new KafkaStreams(topology.apply(input, Topics.CUSTOMERS.name(warmupPrefix)),
                properties.of(kafka.bootstrap(), warmupId, ctx.scratch(name + "-warmup-state").toString()))) {
            warm.start();
            Services.await(Duration.ofMinutes(10), Duration.ofMillis(200), () -> kafka.committed(warmupId, input) >= total);
            warm.close(Duration.ofSeconds(30));
        }
        try (KafkaStreams streams = new KafkaStreams(topology.apply(input, output),
                properties.of(kafka.bootstrap(), applicationId, ctx.scratch(name + "-state").toString()))) {
            Map<String, Long> before = writes(kafka, List.of(output), applicationId);
            streams.start();
            double rate = Services.groupRate(kafka, applicationId, input, total, Duration.ofMinutes(20));
            streams.close(Duration.ofSeconds(30));
            return new StreamsRun(rate, minus(writes(kafka, List.of(output), applicationId), before));
        }
    }

    /** Creates the topics under {@code prefix} and loads the directory and the rows; returns the rows topic. */
    private static String load(Kafka kafka, String prefix, int customers, int versions) {
        kafka.ensure(prefix, List.of(Topics.CUSTOMERS, Topics.DIRECTORY, Topics.NOTICES, Topics.ROWS_DLT, Topics.TRAIL));
        String input = Topics.CUSTOMERS.name(prefix);
        List<ProducerRecord<byte[], byte[]>> load = new ArrayList<>();
        for (DirectoryEntry e : Rows.people(24, Instant.now())) {
            load.add(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e)));
        }
        for (int v = 0; v < versions; v++) {
            for (long id = 0; id < customers; id++) {
                CustomerRow row = Rows.row(id, v, 24, true, CustomerRow.Phase.INCREMENTAL);
                load.add(new ProducerRecord<>(input, row.key().getBytes(StandardCharsets.UTF_8), CustomerRow.CODEC.encode(row)));
            }
        }
        kafka.produce(load);
        return input;
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

    private static void copy(Kafka kafka, String group, String input, String output, AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(group); KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            consumer.subscribe(List.of(input));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(output, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.flush();
                consumer.commitSync(offsets);
            }
        }
    }
}
