package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The suite's own Kafka reads and writes: topics, the directory, raw records, committed reads. */
final class KafkaIo {

    private final String bootstrap;
    private final String prefix;

    KafkaIo(String bootstrap, String prefix) {
        this.bootstrap = bootstrap;
        this.prefix = prefix;
    }

    String name(Topic<?, ?> topic) {
        return topic.name(prefix);
    }

    void createTopics(List<Topic<?, ?>> topics) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            new TopicInitializer(admin, prefix, (short) 1).ensure(topics);
        }
    }

    /** Salespeople only: notices go to the salesperson's user, the one recipient the check follows. */
    void publishDirectory(Map<String, String> sellerToUser, Instant now) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> e : sellerToUser.entrySet()) {
            DirectoryEntry entry = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, e.getKey(),
                    "销售员" + e.getKey(), String.format("1390000%04d", ++n), e.getValue(), null, now);
            records.add(new ProducerRecord<>(name(Topics.DIRECTORY), bytes(entry.key()), DirectoryEntry.CODEC.encode(entry)));
        }
        write(records);
    }

    /** Writes {@code records}; returns how many the broker took (a record it refuses, e.g. too large, is left out). */
    int write(List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // a 1.5 MB record must fit into a request; the broker's own limit still applies
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (var r : records) {
                sends.add(producer.send(r));
            }
            int taken = 0;
            for (var f : sends) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                    taken++;
                } catch (ExecutionException e) {
                    // a record the broker refuses (too large) is a clear error at the producer: nothing to check downstream
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Writing to Kafka timed out", e);
                }
            }
            return taken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every committed record of {@code topic} up to its current end. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, null, bytes(key), value, new RecordHeaders());
    }
}
