package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** README.md's configuration reference is exactly what the services' config readers read. */
class ConfigReferenceTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldMatchWhatTheConfigReadersRead() throws Exception {
        String expected = ConfigReference.markdown();
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String actual = ConfigReference.extract(readme);
        if (!expected.equals(actual)) {
            Path out = Path.of("target", "config-reference.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, expected, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("README.md's configuration reference (the generated one is in cli/target/config-reference.md; "
                        + "replace the block between the config-reference markers with it)")
                .isEqualTo(expected);
    }

    @Test
    void shouldListEverySettingOfEveryServiceOnce() {
        assertThat(ConfigReference.keys())
                .contains("KAFKA_BOOTSTRAP_SERVERS", "KINGDEE_URL", "KINGDEE_APP_SECRET", "KDPIPE_DIGEST_WINDOW",
                        "DINGTALK_APP_SECRET", "NOTIFIER_TRANSACTIONAL_ID")
                .filteredOn(k -> !LocalSettings.LOCAL_DEFAULTS.containsKey(k))
                .doesNotHaveDuplicates();
    }
}
