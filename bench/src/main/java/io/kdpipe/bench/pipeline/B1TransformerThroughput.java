package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

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

/**
 * B1: the transformer's records/s with exactly-once, against a plain consumer→producer copy of the
 * same records on the same broker. Rows: {@code 4 × customers} (new, address change, save without
 * change, approval), round by round, 24 salespeople in the directory.
 */
public final class B1TransformerThroughput {

    /** A result id suffix and the transformer settings that differ from the defaults. */
    private record Variant(String suffix, Map<String, String> settings) {
    }

    /** The default settings first, then the settings that trade latency or cores for throughput, and the cost of digests. */
    private static final List<Variant> VARIANTS = List.of(
            new Variant("", Map.of()),
            new Variant("-commit1s", Map.of("KAFKA_COMMIT_INTERVAL_MS", "1000")),
            new Variant("-threads2", Map.of("KDPIPE_STREAM_THREADS", "2")),
            new Variant("-both", Map.of("KAFKA_COMMIT_INTERVAL_MS", "1000", "KDPIPE_STREAM_THREADS", "2")),
            new Variant("-nodigest", Map.of("KDPIPE_DIGEST_ENABLED", "false")));

    private B1TransformerThroughput() {
    }

    public static List<Result> run(Ctx ctx) throws Exception {
        int customers = ctx.scaled(50_000);
        int versions = 4;
        long total = (long) customers * versions;
        Kafka kafka = ctx.kafka();
        String prefix = ctx.id("b1") + ".";
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
        load.clear();

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

        String scale = total == 200_000 ? "200k rows over 50k customers" : String.format("%d rows over %d customers (scaled)", total, customers);
        String notes = scale + "; reference = plain consumer->producer copy (acks=all, commitSync per poll) of the same "
                + "records on the same broker; rates from committed input offsets between first progress and completion";
        List<Result> results = new ArrayList<>();
        // each variant is a fresh application on the same input
        for (Variant variant : VARIANTS) {
            String id = ctx.id("b1-eos" + variant.suffix());
            Map<String, String> env = Services.transformerEnv(kafka.bootstrap(), prefix, id, ctx.scratch("b1-state" + variant.suffix()).toString());
            env.putAll(variant.settings());
            long writtenBefore = written(kafka, prefix, id + "-transformer");
            double eos;
            try (ServiceRuntime transformer = Services.transformer(env)) {
                eos = Services.groupRate(kafka, id + "-transformer", input, total, Duration.ofMinutes(20));
            }
            double written = (written(kafka, prefix, id + "-transformer") - writtenBefore) / (double) total;
            double ratio = eos / reference;
            String what = variant.settings().isEmpty() ? "transformer records/s, exactly_once_v2 (default settings)"
                    : "transformer records/s, exactly_once_v2, " + variant.settings();
            results.add(new Result("B1" + variant.suffix(), what, eos, "rows/s", reference, ratio, "ratio >= 0.5", ratio >= 0.5,
                    String.format("%s; %.2f log entries written per input row (trail, changelogs, repartition, notices, "
                            + "transaction markers) against 1 for the copy", notes, written)));
        }
        return results;
    }

    /**
     * Log entries (records and transaction markers) on the topics the transformer application writes: its
     * changelog and repartition topics, the trail and the notices.
     */
    private static long written(Kafka kafka, String prefix, String applicationId) {
        long sum = kafka.endOffsets(Topics.TRAIL.name(prefix)) + kafka.endOffsets(Topics.NOTICES.name(prefix));
        for (String topic : kafka.topicsStartingWith(applicationId + "-")) {
            sum += kafka.endOffsets(topic);
        }
        return sum;
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
