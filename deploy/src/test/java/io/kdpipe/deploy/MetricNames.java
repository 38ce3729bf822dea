package io.kdpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The metric names the rules and dashboards query, and the names a {@code /metrics} scrape
 * exposes. A queried name is any identifier with a prefix the services export
 * ({@code kdpipe_}, {@code kafka_}, {@code jvm_}, {@code process_}, {@code system_}); label names
 * and values never start with one, and recording-rule names hold a colon.
 */
final class MetricNames {

    private static final Pattern QUERIED = Pattern.compile("(?<![A-Za-z0-9_:\"])((?:kdpipe|kafka|jvm|process|system)_[A-Za-z0-9_]+)(?![A-Za-z0-9_:\"])");
    private static final Pattern SAMPLE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private MetricNames() {
    }

    /** Names in every {@code expr} of a Prometheus rule file. */
    static Set<String> inRules(Path file) {
        Set<String> out = new TreeSet<>();
        try {
            JsonNode root = new YAMLMapper().readTree(file.toFile());
            for (JsonNode group : root.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    out.addAll(inQuery(rule.path("expr").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Names in every {@code expr} (panel targets) and {@code query} (template variables) of a dashboard. */
    static Set<String> inDashboard(Path file) {
        Set<String> out = new TreeSet<>();
        try {
            collect(new ObjectMapper().readTree(file.toFile()), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Set<String> inQuery(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = QUERIED.matcher(promql);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Sample names of a Prometheus text exposition ({@code x_bucket}, {@code x_count}, ... each as written). */
    static Set<String> inScrape(String exposition) {
        Set<String> out = new TreeSet<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("expr") || e.getKey().equals("query")) && e.getValue().isTextual()) {
                    out.addAll(inQuery(e.getValue().asText()));
                } else if (e.getKey().equals("query") && e.getValue().isObject()) {
                    out.addAll(inQuery(e.getValue().path("query").asText()));
                } else {
                    collect(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }
}
