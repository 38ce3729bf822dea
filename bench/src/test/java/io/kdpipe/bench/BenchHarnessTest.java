package io.kdpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.bench.micro.Fixtures;
import io.kdpipe.bench.micro.Micro;
import io.kdpipe.bench.pipeline.Rows;
import io.kdpipe.bench.report.Machine;
import io.kdpipe.bench.report.Report;
import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.change.CustomerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness works: fixtures are valid pipeline inputs, JMH runs, and the results files carry the figures and the machine. */
class BenchHarnessTest {

    @Test
    void jmhRunsAMicrobenchmarkAndReportsScoreWithError() throws Exception {
        List<Result> results = Micro.smoke("SignatureBenchmark.apiSignature");

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("M-apiSignature");
            assertThat(r.measured()).isPositive();
            assertThat(r.unit()).isEqualTo("us/op");
            assertThat(r.notes()).startsWith("± ");
        });
    }

    @Test
    void generatedRowsAreValidContractsWhoseVersionsDifferWhereTheBenchmarksNeedIt() {
        CustomerRow created = Rows.row(7, 0, 24, true, CustomerRow.Phase.INCREMENTAL);
        CustomerRow moved = Rows.row(7, 1, 24, true, CustomerRow.Phase.INCREMENTAL);
        CustomerRow saved = Rows.row(7, 2, 24, true, CustomerRow.Phase.INCREMENTAL);

        byte[] bytes = CustomerRow.CODEC.encode(created);
        assertThat(CustomerRow.CODEC.encode(CustomerRow.CODEC.decode(bytes))).isEqualTo(bytes);
        assertThat(created.key()).isEqualTo(moved.key());
        CustomerState a = CustomerState.of(created, Fixtures.WATCHED);
        CustomerState b = CustomerState.of(moved, Fixtures.WATCHED);
        CustomerState c = CustomerState.of(saved, Fixtures.WATCHED);
        assertThat(b.watched()).isNotEqualTo(a.watched());
        assertThat(c.watched()).isEqualTo(b.watched());
        assertThat(moved.modifiedAt()).isBefore(saved.modifiedAt());
    }

    @Test
    void theNoticeFixtureIsARealNoticeWithinDingTalksSize() {
        Notice notice = Fixtures.notice();

        assertThat(notice.kind()).isEqualTo(Notice.Kind.CHANGED);
        assertThat(notice.recipients().userIds()).containsExactly("user-0001");
        assertThat(notice.msg().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
        assertThat(Notice.CODEC.decode(Notice.CODEC.encode(notice))).isEqualTo(notice);
    }

    @Test
    void resultsAreWrittenAsMarkdownAndJsonWithTheMachineAndTheCommand(@TempDir Path dir) throws Exception {
        Report report = new Report(Machine.facts(), List.of(
                new Result("B1", "transformer rows/s", 5000, "rows/s", 20000, 0.25, "ratio >= 0.5", false, "scaled"),
                Result.info("M-x", "micro", 1.5, "us/op", "± 0.1")), "java -jar bench.jar B1");

        report.write(dir, "results");

        String md = Files.readString(dir.resolve("results.md"));
        assertThat(md).contains("java -jar bench.jar B1", "| cores | " + Runtime.getRuntime().availableProcessors() + " |",
                "| B1 | transformer rows/s | 5,000 | rows/s | 20,000 | 0.250 | ratio >= 0.5 | NOT met |");
        JsonNode json = Json.mapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.path("machine").path("maxHeapMiB").asLong()).isPositive();
        assertThat(json.path("results").get(0).path("ratio").asDouble()).isEqualTo(0.25);
        assertThat(json.path("results").get(1).path("met").isNull()).isTrue();
        assertThat(report.table()).contains("B1", "NOT met", "report");
    }
}
