package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalCommandTest {

    @Test
    void theConfigFileIsReadWithTheEnvironmentOverIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local.properties");
        Files.writeString(file, "KDPIPE_DIGEST_WINDOW = 20s\nPATH=/from/the/file\n", StandardCharsets.UTF_8);
        LocalCommand command = new LocalCommand();
        new CommandLine(command).parseArgs("--config", file.toString());
        Map<String, String> settings = command.settings();
        assertThat(settings).containsEntry("KDPIPE_DIGEST_WINDOW", "20s");
        assertThat(settings.get("PATH")).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void aBadActivityIntervalOrAnUnreadableConfigStopsBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("--activity", "soon", "--data-dir", data.toString())).contains("--activity: 'soon' is not a duration");
        assertThat(run("--config", dir.resolve("missing.properties").toString(), "--data-dir", data.toString()))
                .contains("KDPIPE_CONFIG_FILE: cannot read");
        assertThat(data).as("no broker was started in the data directory").doesNotExist();
    }

    @Test
    void anActivityIntervalReadsLikeEveryDurationSetting() throws Exception {
        LocalCommand command = new LocalCommand();
        new CommandLine(command).parseArgs("--activity", "250ms");
        assertThat(command.activityInterval()).isEqualTo(Duration.ofMillis(250));
        new CommandLine(command).parseArgs("--activity", "0");
        assertThat(command.activityInterval()).isZero();
    }

    /** Runs {@code kdpipe local} with {@code args}; asserts it exits 2 and returns what it wrote to stderr. */
    private static String run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new LocalCommand()).execute(args)).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
