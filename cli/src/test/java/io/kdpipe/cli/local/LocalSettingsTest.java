package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.kdpipe.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {

    @TempDir
    Path dir;

    private LocalOptions options(Map<String, String> settings) {
        return new LocalOptions(dir, false, 19092, 19093, 0, 0, 0, 0, 10, Duration.ofSeconds(3), 1, settings);
    }

    @Test
    void shouldUseRealKingdeeSettingsAndKeepTheEmbeddedBroker() {
        LocalOptions o = options(Map.of("KINGDEE_URL", "https://erp.example.com/k3cloud/", "KINGDEE_ACCT_ID", "abc",
                "KAFKA_BOOTSTRAP_SERVERS", "prod-kafka:9092", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KDPIPE_EXTRACTOR_POLL_INTERVAL", "5s"));
        assertThat(o.realKingdee()).isTrue();
        assertThat(o.realDingTalk()).isFalse();
        Map<String, String> env = new LocalSettings(o, "localhost:19092").extractor(null);
        assertThat(env).containsEntry("KINGDEE_URL", "https://erp.example.com/k3cloud/")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "localhost:19092")
                .containsEntry("KDPIPE_EXTRACTOR_POLL_INTERVAL", "5s")
                .doesNotContainKey("KAFKA_SECURITY_PROTOCOL");
        assertThat(new LocalSettings(o, "localhost:19092").transformer(true))
                .containsEntry("KDPIPE_RECIPIENTS_FALLBACK", LocalDirectory.FALLBACK_USER)
                .containsEntry("KDPIPE_DIGEST_WINDOW", "10s");
    }

    @Test
    void shouldNotWipeADirectoryThatHoldsMoreThanLocalRunData() throws Exception {
        Files.writeString(dir.resolve("thesis.tex"), "keep me");
        LocalOptions fresh = new LocalOptions(dir, true, 19092, 19093, 0, 0, 0, 0, 10, Duration.ofSeconds(3), 1, Map.of());
        assertThatThrownBy(() -> LocalRun.start(fresh, line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("thesis.tex");
        assertThat(dir.resolve("thesis.tex")).hasContent("keep me");
    }

    @Test
    void shouldRefuseIncompleteRealSettingsNamingEveryProblemBeforeTheBrokerStarts() {
        LocalOptions o = options(Map.of("KINGDEE_URL", "https://erp.example.com/k3cloud/", "DINGTALK_APP_KEY", "key"));
        assertThatThrownBy(() -> LocalRun.start(o, line -> { }))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KINGDEE_ACCT_ID").hasMessageContaining("KINGDEE_USERNAME")
                .hasMessageContaining("KINGDEE_PASSWORD")
                .hasMessageContaining("DINGTALK_APP_SECRET").hasMessageContaining("DINGTALK_AGENT_ID");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }
}
