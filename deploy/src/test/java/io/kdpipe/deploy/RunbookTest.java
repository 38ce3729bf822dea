package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * Every alert's {@code runbook_url} points at a section of {@code docs/runbook.md} (GitHub's anchor of
 * a heading: lower case, spaces as '-', punctuation dropped), and the runbook has one section per alert,
 * no more.
 */
class RunbookTest {

    private static final Path RUNBOOK = DeployFiles.REPO.resolve("docs/runbook.md");

    @Test
    void everyAlertLinksItsOwnSectionAndEverySectionIsAnAlert() throws IOException {
        Map<String, String> anchors = new TreeMap<>();
        for (String line : Files.readAllLines(RUNBOOK)) {
            if (line.startsWith("## ")) {
                String heading = line.substring(3).strip();
                anchors.put(anchor(heading), heading);
            }
        }
        Map<String, String> links = new TreeMap<>();
        for (Path file : DeployFiles.ruleFiles()) {
            for (JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        links.put(rule.path("alert").asText(), rule.at("/annotations/runbook_url").asText());
                    }
                }
            }
        }
        assertThat(links).isNotEmpty();
        links.forEach((alert, url) -> {
            assertThat(url).as("%s runbook_url", alert).startsWith("https://").contains("/docs/runbook.md#");
            String anchor = url.substring(url.indexOf('#') + 1);
            assertThat(anchors).as("%s links #%s, a section of docs/runbook.md", alert, anchor).containsKey(anchor);
            assertThat(anchors.get(anchor)).as("%s links its own section", alert).isEqualTo(alert);
        });
        Set<String> sections = new TreeSet<>(anchors.values());
        assertThat(sections).as("one runbook section per alert").isEqualTo(links.keySet());
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(anchor("KdpipeTargetDown")).isEqualTo("kdpipetargetdown");
        assertThat(anchor("What to do, now!")).isEqualTo("what-to-do-now");
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' removed, spaces to '-'. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
