package io.kdpipe.bench.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Small Kafka helpers for the benchmarks: load topics, watch group progress, count records. */
public final class Kafka implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    public Kafka(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    public String bootstrap() {
        return bootstrap;
    }

    public void ensure(String prefix, Collection<Topic<?, ?>> topics) {
        new TopicInitializer(admin, prefix, (short) 1).ensure(topics);
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(loaderConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The loader's producer settings. */
    private Map<String, Object> loaderConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // loading is not what is measured: batch generously
        c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // one request in flight: with several, a new idempotent producer's first batches can reach a
        // partition out of order, and the broker logs OutOfOrderSequenceException before the client
        // retries them (see transformer/README.md); the broker log of a run should show none
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return c;
    }

    public void produce(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            records.forEach(p::send);
            p.flush();
        }
    }

    /**
     * Produces {@code records} in one transaction, so a {@code read_committed} reader sees none of them
     * until all of them; {@code beforeCommit} runs right before the commit.
     */
    public void produceAtomically(List<ProducerRecord<byte[], byte[]>> records, Runnable beforeCommit) {
        Map<String, Object> c = loaderConfig();
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-load-" + java.util.UUID.randomUUID());
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            records.forEach(p::send);
            p.flush();
            beforeCommit.run();
            p.commitTransaction();
        }
    }

    public KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sum of the group's committed offsets on {@code topic}. */
    public long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return 0;
        }
    }

    /** Sum of the log-end offsets of {@code topic}. */
    public long endOffsets(String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> spec = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(spec).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed records of {@code topic} (read from the start with {@code read_committed}; markers and aborted records not counted). */
    public long committedRecords(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(null)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long n = 0;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    /** Names of the topics that start with {@code prefix}. */
    public List<String> topicsStartingWith(String prefix) {
        try {
            return admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).sorted().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts committed records of a topic from its beginning, on a thread of its own. */
    public Counter count(String topic) {
        return new Counter(topic);
    }

    public final class Counter implements AutoCloseable {
        private final AtomicLong count = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ConcurrentLinkedQueue<byte[]> values = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        Counter(String topic) {
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c = consumer(null)) {
                    List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                    c.assign(parts);
                    c.seekToBeginning(parts);
                    while (!stop.get()) {
                        var records = c.poll(Duration.ofMillis(100));
                        records.forEach(r -> values.add(r.value()));
                        count.addAndGet(records.count());
                    }
                }
            }, "count-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        public long get() {
            return count.get();
        }

        public List<byte[]> values() {
            return List.copyOf(values);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5000);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
