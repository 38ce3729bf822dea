package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check rules} and {@code promtool test rules} (through deploy/check-prometheus.sh)
 * pass, and every alert has a unit test in which it fires and one in which it stays quiet. promtool comes from Debian's
 * {@code prometheus} package; without it this test fails and says how to install it.
 */
class PrometheusRulesTest {

    private static final Set<String> REQUIRED_ALERTS = Set.of(
            "KdpipeTargetDown", "KdpipeServiceAbsent",
            "KdpipeDeadLettersRising", "KdpipeDeadLetterProduceFailing", "KdpipeConsumerLagGrowing", "KdpipeConsumerStalled",
            "KdpipeExtractorStale", "KdpipeExtractorJobNeverSucceeded", "KdpipeExtractorJobOrphaned",
            "KdpipeKingdeeErrorRatioHigh", "KdpipeKingdeeLoginRefused",
            "KdpipeDingTalkErrorRatioHigh", "KdpipeDingTalkTokenFailing", "KdpipeNotifierGlobalPause", "KdpipeNoticesNotAccepted",
            "KdpipeDingTalkBudgetOver80Percent", "KdpipeDingTalkBudgetExhausted", "KdpipeDingTalkBudgetProjectedExhausted",
            "KdpipeTransformerNotRunning", "KdpipeFreshnessSloBreached");

    @Test
    void promtoolChecksAndUnitTestsPass() {
        assertThat(Rendered.Tool.available("promtool"))
                .as("promtool is not on the PATH; install it (Debian: apt-get install -y --no-install-recommends prometheus)")
                .isTrue();
        String out = Rendered.Tool.run(DeployFiles.DEPLOY.toFile(), "bash", "check-prometheus.sh");
        assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAUnitTestInWhichItFires() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        Set<String> alerts = new TreeSet<>();
        for (Path file : DeployFiles.ruleFiles()) {
            for (JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule.path("alert").asText());
                        assertThat(rule.at("/labels/severity").asText()).as("%s severity", rule.path("alert").asText())
                                .isIn("warning", "critical");
                        assertThat(rule.at("/annotations/summary").asText()).as("%s summary", rule.path("alert").asText()).isNotBlank();
                        assertThat(rule.at("/annotations/runbook_url").asText()).as("%s runbook_url", rule.path("alert").asText())
                                .contains("docs/runbook.md#");
                    }
                }
            }
        }
        assertThat(alerts).containsAll(REQUIRED_ALERTS);

        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path file : DeployFiles.ruleTests()) {
            for (JsonNode test : yaml.readTree(file.toFile()).path("tests")) {
                for (JsonNode c : test.path("alert_rule_test")) {
                    (c.path("exp_alerts").isEmpty() ? quiet : firing).add(c.path("alertname").asText());
                }
            }
        }
        assertThat(firing).as("alerts with a unit test in which they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a unit test in which they stay quiet").containsAll(alerts);
    }
}
