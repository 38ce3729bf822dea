package io.kdpipe.extractor;

import java.util.Map;

import io.kdpipe.common.config.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Makes the extractor's Kafka clients; tests pass their own to wrap or observe them. */
public interface KafkaClients {

    /** A transactional producer for one job. */
    Producer<String, byte[]> producer(String transactionalId);

    /** The consumer that joins the job group. */
    Consumer<byte[], byte[]> groupConsumer();

    /** A group-less {@code read_committed} consumer for checkpoints. */
    Consumer<String, byte[]> checkpointConsumer();

    Admin admin();

    /** Real clients from the configuration's client properties. */
    static KafkaClients of(ExtractorConfig config) {
        return new KafkaClients() {
            @Override
            public Producer<String, byte[]> producer(String transactionalId) {
                Map<String, Object> p = KafkaConfig.transactional(config.kafka().clientProperties(), transactionalId);
                // a page commits in seconds; a dead owner's open transaction should not hold readers back for a minute
                p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
                // pages are sent in bursts of up to 2000 rows of about 1.5 kB: batch them, in batches of a
                // few hundred rows rather than the default 16 kB (about ten rows), so the broker validates and
                // appends a few dozen batches per page, not hundreds
                p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
                p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
                // rows of one form repeat the same field names: they compress well
                p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
                p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
                return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> groupConsumer() {
                Map<String, Object> p = config.kafka().clientProperties();
                p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
                // the jobs topic carries no records: membership is all that matters, there is nothing to commit
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                // how long a silent replica keeps its jobs
                p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
                p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4));
                // a rebalance moves only the jobs that change owner; the others keep running
                p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
                return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }

            @Override
            public Consumer<String, byte[]> checkpointConsumer() {
                Map<String, Object> p = config.kafka().clientProperties();
                p.remove(ConsumerConfig.GROUP_ID_CONFIG);
                // aborted pages must not count: only committed checkpoints are real
                p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                // assigned, not subscribed: no group, no offsets
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            }

            @Override
            public Admin admin() {
                return Admin.create(config.kafka().clientProperties());
            }
        };
    }
}
