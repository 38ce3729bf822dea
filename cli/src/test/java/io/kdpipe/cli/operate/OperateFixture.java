package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerTopology;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/** One test's world: a unique topic prefix with every kdpipe topic, the environment the commands read, and helpers. */
public final class OperateFixture implements AutoCloseable {

    final KafkaBroker broker;
    final String prefix = TestNames.topicPrefix();
    final Map<String, String> env = new HashMap<>();
    private final List<ServiceRuntime> runtimes = new ArrayList<>();

    OperateFixture(KafkaBroker broker) {
        this.broker = broker;
        env.putAll(pipelineEnv(broker, prefix));
    }

    /**
     * What every command and service of a test reads: the broker and the test's topic prefix, with
     * every kdpipe topic created under it, and a redrive transactional id of its own.
     */
    public static Map<String, String> pipelineEnv(KafkaBroker broker, String prefix) {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            new TopicInitializer(admin, prefix, (short) -1).ensure(Topics.ALL);
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_REDRIVE_TRANSACTIONAL_ID", TestNames.unique("redrive"));
        return env;
    }

    /**
     * A notifier's settings on top of {@code env}: sending to {@code sandbox}, on a free port, with a
     * transactional id of its own, a group of its own unless {@code env} names one, and metadata
     * refreshed every second.
     */
    public static Map<String, String> notifierEnv(Map<String, String> env, DingTalkSandbox sandbox) {
        Map<String, String> n = new HashMap<>(env);
        n.put("KDPIPE_HTTP_PORT", "0");
        n.putAll(sandbox.serviceSettings());
        n.putIfAbsent("NOTIFIER_GROUP_ID", TestNames.unique("notifier"));
        n.put("NOTIFIER_TRANSACTIONAL_ID", TestNames.unique("notifier-tx"));
        n.put("KAFKA_METADATA_MAX_AGE_MS", "1000");
        return n;
    }

    String topic(Topic<?, ?> t) {
        return t.name(prefix);
    }

    Cli.Result run(String... args) {
        return Cli.run(env, args);
    }

    Cli.Result runAnswering(String input, String... args) {
        return Cli.runAnswering(env, input, args);
    }

    void send(String topic, byte[] key, byte[] value, Headers headers) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void send(String topic, String key, byte[] value) {
        send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, null);
    }

    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return new TopicReader<>(broker, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readAll(topic);
    }

    /** The end offset of every partition of every topic of this test. */
    Map<TopicPartition, Long> endOffsets() {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            List<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> n.startsWith(prefix)).toList();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((n, d) ->
                    d.partitions().forEach(p -> request.put(new TopicPartition(n, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory topic as the latest entry per key. */
    Map<String, DirectoryEntry> directory() {
        Map<String, DirectoryEntry> out = new HashMap<>();
        readAll(topic(Topics.DIRECTORY)).forEach(r -> out.put(new String(r.key(), StandardCharsets.UTF_8),
                DirectoryEntry.CODEC.decode(r.value())));
        return out;
    }

    /** The transformer's topology on the fixture's topics, with state below {@code dir}, digests off and quick commits; close it. */
    KafkaStreams startTransformer(Path dir) {
        Map<String, String> t = new HashMap<>(env);
        t.put("KDPIPE_TRANSFORMER_APPLICATION_ID", TestNames.unique("transformer"));
        t.put("KDPIPE_STATE_DIR", dir.resolve("state").toString());
        t.put("KDPIPE_DIGEST_ENABLED", "false");
        t.put("KAFKA_COMMIT_INTERVAL_MS", "100");
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(t)));
        TransformerMetrics metrics = new TransformerMetrics(new SimpleMeterRegistry());
        KafkaStreams streams = new KafkaStreams(TransformerTopology.build(config, metrics),
                TransformerTopology.streamsProperties(config, metrics));
        streams.start();
        return streams;
    }

    /** A notifier sending to {@code sandbox}, started through its composition root. */
    void startNotifier(DingTalkSandbox sandbox) {
        startNotifier(sandbox, Map.of());
    }

    /** A notifier against {@code sandbox}, with {@code settings} on top of the fixture's. */
    void startNotifier(DingTalkSandbox sandbox, Map<String, String> settings) {
        Map<String, String> n = notifierEnv(env, sandbox);
        n.putAll(settings);
        ServiceRuntime runtime = new ServiceRuntime("notifier", 0);
        runtimes.add(runtime);
        NotifierMain.start(NotifierConfig.read(new ConfigReader(ConfigSource.of(n))), runtime);
    }

    static JsonNode text(String content) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
        msg.putObject("text").put("content", content);
        return msg;
    }

    static Notice notice(String id, String customerKey, List<String> userIds, String content, Instant createdAt) {
        return new Notice(Notice.VERSION, id, Notice.Kind.CHANGED, List.of(customerKey),
                new Notice.Recipients(userIds, List.of(), List.of()), text(content),
                new Notice.Provenance("kingdee.customers.v1", 0, 0, createdAt.minusSeconds(5), null), createdAt);
    }

    void publish(Notice n) {
        send(topic(Topics.NOTICES), "rg-" + String.join("-", n.recipients().userIds()), Notice.CODEC.encode(n));
    }

    @Override
    public void close() {
        for (int i = runtimes.size() - 1; i >= 0; i--) {
            runtimes.get(i).close();
        }
    }
}
