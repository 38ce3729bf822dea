package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands' arguments, help and errors, without a broker. */
class OperateCliTest {

    /** Nothing listens on port 1. */
    private static final Map<String, String> NO_BROKER = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");

    @ParameterizedTest
    @ValueSource(strings = {"replay", "redrive", "status", "directory import", "directory resolve"})
    void everyCommandHasHelpWithExamples(String command) {
        String[] args = (command + " --help").split(" ");
        Cli.Result r = Cli.run(Map.of(), args);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Examples:").contains("kdpipe " + command).contains("--bootstrap-servers").contains("--config");
    }

    @Test
    void replayNeedsExactlyOneSelection() {
        Cli.Result none = Cli.run(NO_BROKER, "replay", "--dry-run");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("choose exactly one selection");
        Cli.Result two = Cli.run(NO_BROKER, "replay", "--customer", "C1", "--notice", "n-1");
        assertThat(two.exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result half = Cli.run(NO_BROKER, "replay", "--from", "2026-11-29");
        assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("--from and --to go together");
        Cli.Result badTime = Cli.run(NO_BROKER, "replay", "--from", "yesterday", "--to", "2026-11-29");
        assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTime.err()).contains("'yesterday' is not a time");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThat(Cli.run(NO_BROKER, "redrive", "--rate", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(NO_BROKER, "redrive", "--limit", "abc").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(NO_BROKER, "redrive", "--limit", "100000", "--rate", "1").err()).contains("lower --limit");
        assertThat(Cli.run(NO_BROKER, "status", "--no-such-option").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run(NO_BROKER, "directory").exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result missing = Cli.run(Map.of(), "status");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("KAFKA_BOOTSTRAP_SERVERS: is required");
        Cli.Result noFile = Cli.run(Map.of(), "status", "--config", "/no/such/file.properties");
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.err()).contains("cannot read /no/such/file.properties");
    }

    @Test
    void anUnreachableBrokerFailsFastWithItsOwnStatus(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("kdpipe.properties");
        Files.writeString(config, "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1\nKDPIPE_TOPIC_PREFIX=x.\n", StandardCharsets.UTF_8);
        long started = System.nanoTime();
        Cli.Result r = Cli.run(Map.of(), "status", "--config", config.toString(), "--timeout", "2");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("Kafka at 127.0.0.1:1 did not answer within 2 s");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aBadCsvIsRefusedWithEveryProblemBeforeKafkaIsTouched(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("people.csv");
        Files.writeString(csv, "工号,姓名,手机\nXSY001,张三\n,李四,13800000002\nXSY003,王五,not-a-phone\nXSY004,赵六,,\n",
                StandardCharsets.UTF_8);
        Cli.Result r = Cli.run(NO_BROKER, "directory", "import", csv.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("4 problem(s)").contains("line 2").contains("line 3: person number is empty")
                .contains("line 4: mobile 'not-a-phone'").contains("line 5: XSY004 has neither");
    }

    @Test
    void aBadDepartmentCsvIsRefusedWithEveryProblemBeforeKafkaIsTouched(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("departments.csv");
        Files.writeString(csv, "编码,名称,钉钉部门ID,主管\nBM01,华东销售部,4021,mgr01\nBM02,华南销售部\n,空,4023,\n"
                + "BM04,华北销售部,dept-4024,\nBM01,重复,4025,\nBM06,,,\nBM07,西南销售部,,\n", StandardCharsets.UTF_8);
        Cli.Result r = Cli.run(NO_BROKER, "directory", "import", "--departments", csv.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("5 problem(s)").contains("line 3: expected number,name,deptid[,manager_userid]")
                .contains("line 4: department number is empty").contains("line 5: DingTalk department id 'dept-4024' of BM04")
                .contains("line 6: department number BM01 appears more than once")
                .contains("line 7: BM06 has neither a name nor a DingTalk department id").doesNotContain("line 8");
    }

    @Test
    void badRoutingSettingsAreListedBeforeARerouteTouchesKafka() {
        Cli.Result r = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KDPIPE_ROUTE_CHANGED", "salesman",
                "KDPIPE_RECIPIENTS_FALLBACK", "dept:x"), "redrive", "--reroute", "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("KDPIPE_ROUTE_CHANGED: 'salesman' is not one of").contains("KDPIPE_RECIPIENTS_FALLBACK:");
    }

    @Test
    void theResendMarkerIsVisibleAndTheMessageStaysWithinDingTalksLimit() {
        ObjectNode md = Json.mapper().createObjectNode().put("msgtype", "markdown");
        md.putObject("markdown").put("title", "客户已修改").put("text", "客".repeat(3000));
        Instant original = Instant.parse("2026-11-28T02:00:00Z");
        JsonNode marked = ResendMarker.mark(md, original, original.plusSeconds(3600), ZoneId.of("Asia/Shanghai"));
        assertThat(marked.path("markdown").path("title").asText()).isEqualTo("（重发）客户已修改");
        assertThat(marked.path("markdown").path("text").asText())
                .startsWith("**（重发）原通知时间 2026-11-28 10:00:00，重发于 2026-11-28 11:00:00**").endsWith("…");
        assertThat(marked.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
        assertThat(md.path("markdown").path("title").asText()).as("the original is not changed").isEqualTo("客户已修改");
    }

    @Test
    void theLastSuccessfulPollIsReadFromThePrometheusExposition() {
        String exposition = """
                # HELP kdpipe_extractor_last_success_timestamp_seconds Unix time of the job's last successful poll
                # TYPE kdpipe_extractor_last_success_timestamp_seconds gauge
                kdpipe_extractor_last_success_timestamp_seconds{job="100.BD_Customer.all",service="extractor"} 1.7643888E9
                kdpipe_extractor_last_success_timestamp_seconds{service="extractor",job="101.BD_Customer.all"} 0.0
                kdpipe_extractor_watermark_lag_seconds{job="100.BD_Customer.all",service="extractor"} 12.0
                """;
        assertThat(ExtractorPolls.parse(exposition))
                .containsExactly(Map.entry("100.BD_Customer.all", Instant.ofEpochSecond(1_764_388_800L)));
    }
}
