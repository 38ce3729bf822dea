package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.Notice;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class NotifierConfigTest {

    private static NotifierConfig read(Map<String, String> env) {
        return NotifierConfig.read(new ConfigReader(ConfigSource.of(env)));
    }

    @Test
    void shouldUseDingTalksStandardLimitsByDefault() {
        NotifierConfig c = read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "DINGTALK_APP_KEY", "ding123",
                "DINGTALK_APP_SECRET", "very-secret", "DINGTALK_AGENT_ID", "3000000001", "HOSTNAME", "notifier-7f9"));
        assertThat(c.dingTalkBaseUrl()).hasToString("https://oapi.dingtalk.com");
        assertThat(c.callsPerSecond()).isEqualTo(20.0);
        assertThat(c.monthlyBudget()).isEqualTo(5000);
        assertThat(c.agentId()).isEqualTo(3_000_000_001L);
        assertThat(c.send().deadline()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.send().commitBatch()).isEqualTo(1);
        assertThat(c.send().deadLetterOverBudget()).isFalse();
        assertThat(c.transactionalId()).isEqualTo("kdpipe-notifier-notifier-7f9");
        assertThat(c.toString()).doesNotContain("very-secret");
        assertThat(c.appSecret().reveal()).isEqualTo("very-secret");
    }

    @Test
    void shouldListEveryProblemAtOnceWithoutTheSecret() {
        assertThatThrownBy(() -> read(Map.of("DINGTALK_APP_SECRET", "very-secret", "DINGTALK_RATE_PER_SECOND", "fast",
                "DINGTALK_BASE_URL", "ftp://x", "NOTIFIER_VERIFY_KINDS", "APPROVED,EXPLODED", "NOTIFIER_RETRY_DEADLINE", "soon")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(((ConfigException) e).problems()).hasSizeGreaterThanOrEqualTo(7);
                    assertThat(m).contains("KAFKA_BOOTSTRAP_SERVERS", "DINGTALK_APP_KEY", "DINGTALK_AGENT_ID", "DINGTALK_RATE_PER_SECOND",
                            "DINGTALK_BASE_URL", "EXPLODED", "NOTIFIER_RETRY_DEADLINE");
                    assertThat(m).doesNotContain("very-secret");
                });
    }

    @Test
    void shouldDocumentEverySettingItReads() throws Exception {
        ConfigReader reader = new ConfigReader(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "DINGTALK_APP_KEY", "k",
                "DINGTALK_APP_SECRET", "s", "DINGTALK_AGENT_ID", "1")));
        NotifierConfig.read(reader);
        String readme = Files.readString(Path.of("README.md"));
        reader.documented().stream().map(ConfigReader.Documented::key)
                .filter(k -> k.startsWith("DINGTALK_") || k.startsWith("NOTIFIER_"))
                .forEach(k -> assertThat(readme).as("notifier/README.md documents " + k).contains("`" + k + "`"));
    }

    @Test
    void shouldReadVerificationAndClientSettings() {
        NotifierConfig c = read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "DINGTALK_APP_KEY", "k", "DINGTALK_APP_SECRET", "s",
                "DINGTALK_AGENT_ID", "1", "NOTIFIER_VERIFY_KINDS", "forbidden, approved", "NOTIFIER_VERIFY_SAMPLE_RATE", "0.05",
                "KAFKA_MAX_POLL_RECORDS", "10", "NOTIFIER_GROUP_ID", "g"));
        assertThat(c.send().verifyKinds()).isEqualTo(Set.of(Notice.Kind.FORBIDDEN, Notice.Kind.APPROVED));
        assertThat(c.send().verifySampleRate()).isEqualTo(0.05);
        Map<String, Object> consumer = NotifierMain.consumerProperties(c);
        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        assertThat(NotifierMain.producerProperties(c)).containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        assertThat(NotifierMain.ledgerProperties(c)).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }
}
