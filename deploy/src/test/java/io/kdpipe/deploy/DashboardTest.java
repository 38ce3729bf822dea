package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview dashboard shows what the issue asks for, every panel queries the selectable data
 * source, and every query is valid PromQL: the queries (with Grafana's variables filled in) are
 * checked by {@code promtool check rules} as recording rules. Which metrics exist is
 * {@link MetricsScrapeIT}'s part.
 */
class DashboardTest {

    private static final Path OVERVIEW = DeployFiles.GRAFANA.resolve("kdpipe-overview.json");

    @Test
    void overviewShowsTheWholePipeline() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(OVERVIEW.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("kdpipe-overview");
        String titles = String.join("\n", panels(dashboard).stream().map(p -> p.path("title").asText()).toList());
        assertThat(titles).contains("rows → changes → notices → accepted by DingTalk", "Dead letters by reason", "Consumer lag per service",
                "Freshness", "Kingdee call latency", "Kingdee error ratio", "DingTalk call latency", "DingTalk calls by outcome",
                "budget used", "Heap used", "GC pause",
                "Services up", "DingTalk token fetches", "Global send pause", "projection to month end", "Notices by kind",
                "Notices by outcome", "Unresolved recipients", "Dead letters written by reason", "Freshness p99",
                "Extraction jobs: configured and owned", "Rows extracted per job", "Kingdee logins by outcome",
                "Digests: held notices in memory", "Digests sent early");
        for (JsonNode panel : panels(dashboard)) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).as("%s data source", panel.path("title").asText()).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as("%s queries", panel.path("title").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(OVERVIEW.toFile());
        ObjectNode rules = new ObjectMapper().createObjectNode();
        ArrayNode list = rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        int n = 0;
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replace("$__rate_interval", "5m").replace("$__range", "1h").replace("$namespace", ".*");
                assertThat(expr).as("%s: unknown Grafana variable", panel.path("title").asText()).doesNotContain("$");
                list.addObject().put("record", "dashboard:query_" + n++).put("expr", expr);
            }
        }
        assertThat(n).isGreaterThan(20);
        Path file = dir.resolve("dashboard.rules.yml");
        Files.writeString(file, new YAMLMapper().writeValueAsString(rules));
        assertThat(Rendered.Tool.available("promtool"))
                .as("promtool is not on the PATH; install it (Debian: apt-get install -y --no-install-recommends prometheus)")
                .isTrue();
        assertThat(Rendered.Tool.run(dir.toFile(), "promtool", "check", "rules", file.toString())).contains("SUCCESS");
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }
}
