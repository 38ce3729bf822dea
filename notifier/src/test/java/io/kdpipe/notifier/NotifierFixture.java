package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.send.SendHooks;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One test's world: unique topics on the shared broker, a DingTalk sandbox with a unique app secret,
 * notifiers started through the composition root, and the logs captured to check for leaked secrets.
 */
final class NotifierFixture implements AutoCloseable {

    /** Settings every test starts from: quick retries and timeouts, and no getsendresult checks (they are counted calls) unless a test asks. */
    private static final Map<String, String> TEST_SETTINGS = Map.of(
            "KDPIPE_HTTP_PORT", "0",
            "NOTIFIER_RETRY_INITIAL_BACKOFF", "50ms",
            "NOTIFIER_RETRY_MAX_BACKOFF", "500ms",
            "NOTIFIER_RETRY_DEADLINE", "30s",
            "DINGTALK_HTTP_TIMEOUT", "2s",
            "KAFKA_METADATA_MAX_AGE_MS", "1000",
            "NOTIFIER_VERIFY_BUDGET_SHARE", "0");

    final KafkaBroker broker;
    final String prefix = TestNames.topicPrefix();
    final String group = TestNames.unique("notifier");
    final String appSecret = "app-secret-" + UUID.randomUUID();
    final DingTalkSandbox sandbox;
    final LogCapture logs = new LogCapture();
    private final List<ServiceRuntime> runtimes = new ArrayList<>();
    private final Map<String, String> settings = new HashMap<>();

    NotifierFixture(KafkaBroker broker, DingTalkSandboxOptions.Builder sandboxOptions) {
        this.broker = broker;
        this.sandbox = DingTalkSandbox.start(sandboxOptions.appSecret(appSecret).build());
        try (Admin admin = Admin.create(broker.clientConfig())) {
            new TopicInitializer(admin, prefix, (short) -1).ensure(List.of(Topics.NOTICES, Topics.DELIVERIES, Topics.NOTICES_DLT,
                    Topics.DIRECTORY));
        }
        settings.putAll(TEST_SETTINGS);
        settings.putAll(sandbox.serviceSettings());
        settings.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        settings.put("KDPIPE_TOPIC_PREFIX", prefix);
        settings.put("DINGTALK_RATE_PER_SECOND", String.valueOf(sandbox.options().qps()));
        settings.put("DINGTALK_MONTHLY_BUDGET", String.valueOf(sandbox.options().monthlyQuota()));
        settings.put("NOTIFIER_GROUP_ID", group);
    }

    NotifierFixture set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    NotifierConfig config(String instance) {
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("NOTIFIER_TRANSACTIONAL_ID", group + "-" + instance);
        return NotifierConfig.read(new ConfigReader(ConfigSource.of(env)));
    }

    /** A notifier named {@code instance} (its transactional id); the same name again is a restart of it. */
    Instance start(String instance, SendHooks hooks) {
        ServiceRuntime runtime = new ServiceRuntime("notifier", 0);
        runtimes.add(runtime);
        Notifier notifier = NotifierMain.start(config(instance), runtime, Clock.systemUTC(), hooks);
        return new Instance(runtime, notifier);
    }

    Instance start(String instance) {
        return start(instance, SendHooks.NONE);
    }

    record Instance(ServiceRuntime runtime, Notifier notifier) {
        double counter(String name) {
            return runtime.registry().find(name).counters().stream().mapToDouble(x -> x.count()).sum();
        }

        double counter(String name, String tag, String value) {
            var c = runtime.registry().find(name).tag(tag, value).counters();
            return c.stream().mapToDouble(x -> x.count()).sum();
        }
    }

    String topic(Topic<?, ?> t) {
        return t.name(prefix);
    }

    static JsonNode text(String content) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
        msg.putObject("text").put("content", content);
        return msg;
    }

    static Notice notice(String id, List<String> userIds, JsonNode msg) {
        return new Notice(Notice.VERSION, id, Notice.Kind.APPROVED, List.of("acct:" + id),
                new Notice.Recipients(userIds, List.of(), List.of()), msg,
                new Notice.Provenance("kingdee.customers.v1", 0, 0, Instant.now().minusSeconds(5), null), Instant.now());
    }

    static Notice notice(String id, List<String> userIds) {
        return notice(id, userIds, text("客户 " + id + " 已审核"));
    }

    /** Publishes notices keyed by recipient group, spread over every partition. */
    void publish(List<Notice> notices) {
        Map<String, Object> p = new HashMap<>(broker.clientConfig());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, Notice> producer = new KafkaProducer<>(p,
                Topics.NOTICES.keySerde().serializer(), Topics.NOTICES.valueSerde().serializer())) {
            for (Notice n : notices) {
                producer.send(new ProducerRecord<>(topic(Topics.NOTICES), "group-" + Math.floorMod(n.id().hashCode(), 97), n));
            }
            producer.flush();
        }
    }

    void publishRaw(String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic(Topics.NOTICES), key.getBytes(), value));
            producer.flush();
        }
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return new TopicReader<>(broker, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readAll(topic(Topics.NOTICES_DLT));
    }

    List<DeliveryRecord> ledger() {
        return new TopicReader<>(broker, new StringDeserializer(), Topics.DELIVERIES.valueSerde().deserializer())
                .readAll(topic(Topics.DELIVERIES)).stream().map(ConsumerRecord::value).toList();
    }

    /** How many messages in {@code userId}'s inbox have exactly this content. */
    long copiesIn(String userId, JsonNode msg) {
        return sandbox.inbox(userId).stream().map(InboxMessage::msg).filter(msg::equals).count();
    }

    /** No app secret or access token appears in anything logged during the test. */
    void assertNoSecretsLogged() {
        List<String> lines = logs.lines();
        assertThat(lines).as("the test produced log lines to check").isNotEmpty();
        List<String> secrets = new ArrayList<>(sandbox.issuedTokens());
        secrets.add(appSecret);
        secrets.add(settings.get("DINGTALK_APP_SECRET"));
        for (String line : lines) {
            for (String s : secrets) {
                assertThat(line).as("a log line leaks a secret").doesNotContain(s);
            }
        }
    }

    @Override
    public void close() {
        for (int i = runtimes.size() - 1; i >= 0; i--) {
            runtimes.get(i).close();
        }
        sandbox.close();
        logs.close();
    }
}
