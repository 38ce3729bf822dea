package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @Test
    void theFilesHoldTheReportTheCommitAndTheInputs(@TempDir Path dir) throws Exception {
        ChaosReport report = ConstructedReports.clean(new FaultLog(Map.of("broker kill -9", 1), Map.of("broker kill -9", 0L)));

        List<Path> files = ResultFiles.write(report, dir, "long-run", "0123abc", "ChaosMain long", Instant.parse("2026-12-01T10:00:00Z"));

        assertThat(files).containsExactly(dir.resolve("long-run.md"), dir.resolve("long-run.json"));
        String md = Files.readString(files.get(0));
        assertThat(md).contains("commit: `0123abc`", "command: `ChaosMain long`", "| customers | 120 |", "| seed | 10 |",
                "result: **FAILED**", "| broker kill -9 | 1 | 0 |");
        JsonNode json = Json.mapper().readTree(files.get(1).toFile());
        assertThat(json.path("commit").asText()).isEqualTo("0123abc");
        assertThat(json.path("inputs").path("changes").asInt()).isEqualTo(30);
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.path("failures").get(0).asText()).contains("broker kill -9");
        assertThat(json.path("faults").path("fired").path("broker kill -9").asLong()).isZero();
    }

    @Test
    void theCommitIsTheCheckedOutHead() {
        Path root = Path.of(System.getProperty("user.dir")).getParent();

        assertThat(ResultFiles.commit(root)).matches("[0-9a-f]{40}(-dirty)?");
    }
}
