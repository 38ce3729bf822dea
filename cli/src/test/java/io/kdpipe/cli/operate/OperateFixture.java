package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
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
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
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

/** One test's world: a unique topic prefix with every kdpipe topic, the environment the commands read, and helpers. */
final class OperateFixture implements AutoCloseable {

    final KafkaBroker broker;
    final String prefix = TestNames.topicPrefix();
    final Map<String, String> env = new HashMap<>();
    private final List<ServiceRuntime> runtimes = new ArrayList<>();

    OperateFixture(KafkaBroker broker) {
        this.broker = broker;
        try (Admin admin = Admin.create(broker.clientConfig())) {
            new TopicInitializer(admin, prefix, (short) -1).ensure(Topics.ALL);
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_REDRIVE_TRANSACTIONAL_ID", TestNames.unique("redrive"));
    }

    String topic(io.kdpipe.common.topic.Topic<?, ?> t) {
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

    /** A notifier sending to {@code sandbox}, started through its composition root. */
    void startNotifier(DingTalkSandbox sandbox) {
        startNotifier(sandbox, Map.of());
    }

    /** A notifier against {@code sandbox}, with {@code settings} on top of the fixture's. */
    void startNotifier(DingTalkSandbox sandbox, Map<String, String> settings) {
        Map<String, String> n = new HashMap<>(env);
        n.put("KDPIPE_HTTP_PORT", "0");
        n.putAll(sandbox.serviceSettings());
        n.put("NOTIFIER_GROUP_ID", TestNames.unique("notifier"));
        n.put("NOTIFIER_TRANSACTIONAL_ID", TestNames.unique("notifier-tx"));
        n.put("KAFKA_METADATA_MAX_AGE_MS", "1000");
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
