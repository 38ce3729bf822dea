package io.kdpipe.extractor;

import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One test's world: a sandbox, unique topics, group and transactional ids, and extractors built
 * against them with short intervals. Closes everything it started.
 */
final class ExtractorFixture implements AutoCloseable {

    final KafkaBroker broker;
    final KingdeeSandbox kingdee;
    final String prefix = TestNames.topicPrefix();
    final String group = TestNames.unique("extractor");
    final String txPrefix = TestNames.unique("tx");
    final Map<String, String> env = new LinkedHashMap<>();
    private final List<Extractor> started = new ArrayList<>();

    ExtractorFixture(KafkaBroker broker, KingdeeSandbox kingdee) {
        this.broker = broker;
        this.kingdee = kingdee;
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_HTTP_PORT", "0");
        env.putAll(kingdee.serviceSettings());
        env.put("KINGDEE_TIMEOUT", "3s");
        env.put("KINGDEE_RETRY_ATTEMPTS", "3");
        env.put("KINGDEE_RETRY_BACKOFF", "50ms");
        env.put("KINGDEE_RETRY_MAX_BACKOFF", "500ms");
        env.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", "200ms");
        env.put("KDPIPE_EXTRACTOR_OVERLAP", "2m");
        env.put("KDPIPE_EXTRACTOR_LOOKBACK_INTERVAL", "1s");
        env.put("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", "6s");
        env.put("KDPIPE_EXTRACTOR_PERMANENT_ERROR_PAUSE", "500ms");
        env.put("KDPIPE_EXTRACTOR_GROUP_ID", group);
        env.put("KDPIPE_EXTRACTOR_TRANSACTIONAL_ID_PREFIX", txPrefix);
    }

    ExtractorFixture set(String key, String value) {
        env.put(key, value);
        return this;
    }

    ExtractorConfig config() {
        return ExtractorConfig.from(env);
    }

    Extractor start() {
        return start(c -> KafkaClients.of(c));
    }

    Extractor start(Function<ExtractorConfig, KafkaClients> clients) {
        ExtractorConfig config = config();
        Extractor e = ExtractorMain.extractor(config, clients.apply(config), new ExtractorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        started.add(e);
        return e.start();
    }

    ExtractorMetrics metrics(Extractor e) {
        return e.metrics();
    }

    String customersTopic() {
        return Topics.CUSTOMERS.name(prefix);
    }

    List<CustomerRow> rows() {
        return new TopicReader<>(broker, new StringDeserializer(), CustomerRow.CODEC.serde().deserializer())
                .readAll(customersTopic()).stream().map(ConsumerRecord::value).toList();
    }

    /** The newest committed checkpoint of each job. */
    Map<String, Checkpoint> checkpoints() {
        Map<String, Checkpoint> out = new HashMap<>();
        for (ConsumerRecord<String, Checkpoint> r : new TopicReader<>(broker, new StringDeserializer(), Checkpoint.CODEC.serde().deserializer())
                .readAll(Topics.CHECKPOINTS.name(prefix))) {
            out.put(r.key(), r.value());
        }
        return out;
    }

    /** The size in bytes of the largest record on the checkpoint topic. */
    int largestCheckpointBytes() {
        return new TopicReader<>(broker, new StringDeserializer(), new ByteArrayDeserializer())
                .readAll(Topics.CHECKPOINTS.name(prefix)).stream().mapToInt(r -> r.value() == null ? 0 : r.value().length).max().orElse(0);
    }

    Optional<Checkpoint> checkpoint(String jobId) {
        return Optional.ofNullable(checkpoints().get(jobId));
    }

    /** Waits until every configured job has finished its snapshot. */
    void awaitSnapshots(Duration timeout) {
        List<String> jobs = config().jobs().stream().map(j -> j.id()).toList();
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).until(() -> {
            Map<String, Checkpoint> cps = checkpoints();
            return jobs.stream().allMatch(j -> cps.containsKey(j) && cps.get(j).snapshotComplete());
        });
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        kingdee.close();
    }
}
