package io.kdpipe.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a topic holds, as a {@code read_committed} consumer sees it: aborted and open
 * transactions stay invisible, as they would to any pipeline consumer.
 */
public final class TopicReader<K, V> {

    private final KafkaBroker broker;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;

    public TopicReader(KafkaBroker broker, Deserializer<K> keys, Deserializer<V> values) {
        this.broker = broker;
        this.keys = keys;
        this.values = values;
    }

    /** Every committed record up to the current end of the topic, in partition and offset order. */
    public List<ConsumerRecord<K, V>> readAll(String topic) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading " + topic + " did not reach its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** Polls the topic until it holds at least {@code count} committed records, then returns them all. */
    public List<ConsumerRecord<K, V>> awaitAtLeast(String topic, int count, Duration timeout) {
        List<List<ConsumerRecord<K, V>>> last = new ArrayList<>(List.of(List.of()));
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            last.set(0, readAll(topic));
            return last.get(0).size() >= count;
        });
        return last.get(0);
    }
}
