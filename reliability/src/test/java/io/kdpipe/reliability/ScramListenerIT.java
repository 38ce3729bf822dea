package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka client security settings pass through {@code KAFKA_*}: a notifier whose only way to the
 * broker is a SASL/SCRAM listener delivers a notice, and the SCRAM password appears nowhere in its
 * log output.
 */
class ScramListenerIT {

    private static final String USER = "kdpipe-notifier";
    private static final String PASSWORD = "scram-Pa55-" + Long.toHexString(System.nanoTime());

    @Test
    void aServiceConnectsThroughAScramListenerFromItsKafkaSettings(@TempDir Path dir) throws Exception {
        int plain = EmbeddedKafkaBroker.freePort();
        int controller = EmbeddedKafkaBroker.freePort();
        int scram = EmbeddedKafkaBroker.freePort();
        String prefix = TestNames.topicPrefix();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .port(plain, controller)
                .property("listeners", "PLAINTEXT://localhost:" + plain + ",CONTROLLER://localhost:" + controller
                        + ",SASL_PLAINTEXT://localhost:" + scram)
                .property("advertised.listeners", "PLAINTEXT://localhost:" + plain + ",SASL_PLAINTEXT://localhost:" + scram)
                .property("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT")
                .property("sasl.enabled.mechanisms", "SCRAM-SHA-256")
                .property("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .start();
             DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                     .user(SandboxUser.of("user-a", "甲", "13900000001")).build())) {
            String scramBootstrap = "localhost:" + scram;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
            }
            // the listener really demands SCRAM: a client without credentials gets nowhere
            try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, scramBootstrap,
                    AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                    "sasl.jaas.config", jaas("wrong-password"), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000))) {
                assertThatThrownBy(() -> anonymous.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                        .hasStackTraceContaining("Authentication failed");
            }

            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", scramBootstrap);
            env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256");
            env.put("KAFKA_SASL_JAAS_CONFIG", jaas(PASSWORD));
            env.put("KDPIPE_TOPIC_PREFIX", prefix);
            env.put("KDPIPE_HTTP_PORT", "0");
            env.putAll(dingTalk.serviceSettings());
            env.put("NOTIFIER_GROUP_ID", TestNames.unique("notifier"));
            env.put("NOTIFIER_TRANSACTIONAL_ID", TestNames.unique("notifier-tx"));
            NotifierConfig config = NotifierConfig.read(new ConfigReader(ConfigSource.of(env)));
            assertThat(config.toString()).doesNotContain(PASSWORD);

            try (ServiceRuntime runtime = new ServiceRuntime("notifier", 0)) {
                NotifierMain.start(config, runtime);
                runtime.start();

                ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
                msg.putObject("text").put("content", "经 SCRAM 监听器送达");
                Notice notice = new Notice(Notice.VERSION, "n-scram-" + System.nanoTime(), Notice.Kind.CHANGED, List.of("acct:1"),
                        new Notice.Recipients(List.of("user-a"), List.of(), List.of()), msg,
                        new Notice.Provenance("test", 0, 0L, Instant.now(), null), Instant.now());
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringSerializer(), new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(Topics.NOTICES.name(prefix), "rg-a", Notice.CODEC.encode(notice))).get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(dingTalk.inbox("user-a"))
                        .anySatisfy(m -> assertThat(m.msg()).isEqualTo(msg)));
            }
        }
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\"" + password + "\";";
    }
}
