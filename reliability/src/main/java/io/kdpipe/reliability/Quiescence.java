package io.kdpipe.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until the pipeline is at rest before the verdict: every consumer group has read every
 * committed record of the partitions it committed offsets for (lag 0, transaction markers not
 * counted), and the output topics have not grown for the quiet period. A verdict taken earlier
 * could pass while a notice is still on its way, or miss a duplicate that comes later.
 */
final class Quiescence {

    private final String bootstrap;
    private final List<String> outputTopics;

    Quiescence(String bootstrap, List<String> outputTopics) {
        this.bootstrap = bootstrap;
        this.outputTopics = List.copyOf(outputTopics);
    }

    /**
     * Polls until at rest for {@code quiet} or {@code limit} passes.
     *
     * @return why the pipeline is not at rest (a group with lag, output still growing); empty when it is
     */
    List<String> await(Duration quiet, Duration limit) {
        AtRest state = new AtRest(quiet);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            Awaitility.await("the pipeline at rest").pollInSameThread().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> state.check(endOffsets(admin, outputTopics), lagByGroup(admin)).isEmpty());
        } catch (ConditionTimeoutException e) {
            // the last problems found say why it did not come to rest
        }
        return state.problems;
    }

    /** What the last look found, and since when the output topics have not grown. */
    private static final class AtRest {
        private final Duration quiet;
        private Map<TopicPartition, Long> lastEnds = Map.of();
        private long quietSince = System.nanoTime();
        private List<String> problems = List.of("not looked at yet");

        AtRest(Duration quiet) {
            this.quiet = quiet;
        }

        List<String> check(Map<TopicPartition, Long> ends, Map<String, Long> lag) {
            List<String> found = new ArrayList<>();
            lag.forEach((group, n) -> {
                if (n > 0) {
                    found.add("group " + group + " has " + n + " records to read");
                }
            });
            if (!ends.equals(lastEnds)) {
                quietSince = System.nanoTime();
                lastEnds = ends;
            }
            long quietFor = System.nanoTime() - quietSince;
            if (quietFor < quiet.toNanos()) {
                found.add("output still growing (quiet for " + quietFor / 1_000_000 + " ms of " + quiet.toMillis() + ")");
            }
            problems = List.copyOf(found);
            return problems;
        }
    }

    /** Per group, the committed records after its committed offsets (read_committed). */
    Map<String, Long> lagByGroup(Admin admin) {
        Map<String, Long> out = new TreeMap<>();
        for (ConsumerGroupListing g : get(admin.listConsumerGroups().all())) {
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> positions = new HashMap<>();
            committed.forEach((tp, o) -> {
                if (o != null) {
                    positions.put(tp, o.offset());
                }
            });
            out.put(g.groupId(), recordsAfter(admin, positions));
        }
        return out;
    }

    /** Committed records between each position and the partition's end; transaction markers take offsets but are no records. */
    private long recordsAfter(Admin admin, Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = ends(admin, positions.keySet());
        Map<TopicPartition, Long> behind = new HashMap<>();
        positions.forEach((tp, pos) -> {
            if (ends.getOrDefault(tp, 0L) > pos) {
                behind.put(tp, pos);
            }
        });
        if (behind.isEmpty()) {
            return 0;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(behind.keySet());
            behind.forEach(c::seek);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (behind.keySet().stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(10)) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                records += c.poll(Duration.ofMillis(300)).count();
            }
        }
        return records;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        get(admin.describeTopics(topics).allTopicNames()).forEach((name, d) ->
                d.partitions().forEach(p -> parts.add(new TopicPartition(name, p.partition()))));
        return ends(admin, parts);
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> parts) {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        parts.forEach(tp -> spec.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(spec, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()).forEach((tp, r) -> out.put(tp, r.offset()));
        return out;
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
