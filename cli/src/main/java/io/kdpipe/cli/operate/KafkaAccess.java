package io.kdpipe.cli.operate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka as the operator commands use it: one admin client with short timeouts, whole-topic scans up
 * to the current end, and producers. Closing it closes the admin client.
 */
final class KafkaAccess implements AutoCloseable {

    private final KafkaConfig config;
    private final Duration timeout;
    private final Admin admin;
    private Set<String> topics;

    private KafkaAccess(KafkaConfig config, Duration timeout, Admin admin) {
        this.config = config;
        this.timeout = timeout;
        this.admin = admin;
    }

    /** Connects and checks that the cluster answers within {@code timeout}. */
    static KafkaAccess connect(KafkaConfig config, Duration timeout) {
        Map<String, Object> p = config.clientProperties();
        // an operator waits at the terminal: fail within the timeout instead of the default minute
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin = Admin.create(p);
        KafkaAccess kafka = new KafkaAccess(config, timeout, admin);
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return kafka;
        } catch (TimeoutException | ExecutionException e) {
            kafka.close();
            throw new OperateException(ExitCodes.UNREACHABLE, "Kafka at " + config.bootstrapServers()
                    + " did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.close();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }

    String prefix() {
        return config.topicPrefix();
    }

    String name(Topic<?, ?> topic) {
        return topic.name(config.topicPrefix());
    }

    /** Creates the declared topics that are missing; only for runs that write. */
    void ensure(List<Topic<?, ?>> declared) {
        new TopicInitializer(admin, config.topicPrefix(), config.replicationFactor()).ensure(declared);
        topics = null;
    }

    Admin admin() {
        return admin;
    }

    Duration timeout() {
        return timeout;
    }

    boolean exists(String topic) {
        if (topics == null) {
            topics = get(admin.listTopics().names());
        }
        return topics.contains(topic);
    }

    /** Every committed record of {@code topic} up to its end when the scan starts; none if it does not exist. */
    void scan(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        if (!exists(topic)) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toCollection(ArrayList::new));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + Math.max(60_000, timeout.toMillis() * 6) * 1_000_000L;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new OperateException(ExitCodes.FAILED, "reading " + topic + " did not reach its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /** The end offsets (last committed for transactional writes) of every partition of the topics that exist. */
    Map<TopicPartition, Long> endOffsets(List<String> topicNames) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        List<String> present = topicNames.stream().filter(this::exists).toList();
        if (present.isEmpty()) {
            return Map.of();
        }
        get(admin.describeTopics(present).allTopicNames()).forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** A producer of raw bytes; with a transactional id when one is given. */
    KafkaProducer<byte[], byte[]> producer(String transactionalId, Duration transactionTimeout) {
        Map<String, Object> p = config.clientProperties();
        // a send the broker cannot take within the operator's patience fails the run instead of hanging
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis() * 3, 30_000));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        if (transactionalId != null) {
            KafkaConfig.transactional(p, transactionalId);
            // one transaction spans a whole rate-limited run
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        }
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperateException(ExitCodes.UNREACHABLE, "Kafka did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new OperateException(ExitCodes.FAILED, "Kafka: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = config.clientProperties();
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // aborted pipeline writes are not facts
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // scans assign partitions themselves and keep no offsets
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return p;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
