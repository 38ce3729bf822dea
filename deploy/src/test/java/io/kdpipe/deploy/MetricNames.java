package io.kdpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    private static final Pattern SAMPLE_LINE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)(?:\\{(.*)\\})? \\S+$", Pattern.MULTILINE);
    private static final Pattern LABEL_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SELECTOR = Pattern.compile("(?<![A-Za-z0-9_:\"])((?:kdpipe|kafka|jvm|process|system)_[A-Za-z0-9_]+)\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern CLAUSE = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

    /**
     * Labels Prometheus adds to every series of a kdpipe pod (the scrape's target labels and the
     * PodMonitor's podTargetLabels); they are never in a service's own exposition.
     */
    static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "container", "endpoint", "instance", "job",
            "app_kubernetes_io_name", "app_kubernetes_io_part_of");

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

    /** The label names each query of a rule file or dashboard uses, per query text. */
    static List<String> queries(Path file) {
        List<String> out = new ArrayList<>();
        try {
            if (file.toString().endsWith(".json")) {
                collectQueries(new ObjectMapper().readTree(file.toFile()), out);
            } else {
                for (JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        out.add(rule.path("expr").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * What a query needs of the metrics it reads: each selector's matcher labels must be on that
     * metric; each label of a {@code by}/{@code on}/... clause on at least one metric of the query.
     * The scrape's own {@code job} arrives as {@code exported_job}. Returns the problems, empty when none.
     */
    static List<String> missingLabels(String query, Map<String, Set<String>> labelsByMetric) {
        List<String> problems = new ArrayList<>();
        Set<String> metrics = inQuery(query);
        Matcher sel = SELECTOR.matcher(query);
        while (sel.find()) {
            Matcher m = MATCHER.matcher(sel.group(2).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
            while (m.find()) {
                String label = exposed(m.group(1));
                if (!TARGET_LABELS.contains(label) && !labelsByMetric.getOrDefault(sel.group(1), Set.of()).contains(label)) {
                    problems.add(sel.group(1) + " has no label " + m.group(1) + " (has " + labelsByMetric.get(sel.group(1)) + ")");
                }
            }
        }
        Matcher clause = CLAUSE.matcher(query);
        while (clause.find()) {
            for (String raw : clause.group(1).split(",")) {
                String label = exposed(raw.strip());
                if (label.isEmpty() || TARGET_LABELS.contains(label)) {
                    continue;
                }
                boolean somewhere = metrics.stream().anyMatch(n -> labelsByMetric.getOrDefault(n, Set.of()).contains(label));
                if (!somewhere) {
                    problems.add("'" + clause.group() + "': no metric of the query " + metrics + " has the label " + raw.strip());
                }
            }
        }
        return problems;
    }

    private static String exposed(String label) {
        return label.equals("exported_job") ? "job" : label;
    }

    /** Each sample name of a text exposition with the label names it carries. */
    static Map<String, Set<String>> labelsInScrape(String exposition) {
        Map<String, Set<String>> out = new TreeMap<>();
        Matcher m = SAMPLE_LINE.matcher(exposition);
        while (m.find()) {
            Set<String> labels = out.computeIfAbsent(m.group(1), n -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher pair = LABEL_PAIR.matcher(m.group(2));
                while (pair.find()) {
                    labels.add(pair.group(1));
                }
            }
        }
        return out;
    }

    /** Each sample's labels as pairs: one map per sample line. */
    static List<Map<String, String>> samples(String exposition) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = SAMPLE_LINE.matcher(exposition);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("__name__", m.group(1));
            if (m.group(2) != null) {
                Matcher pair = LABEL_PAIR.matcher(m.group(2));
                while (pair.find()) {
                    labels.put(pair.group(1), pair.group(2));
                }
            }
            out.add(labels);
        }
        return out;
    }

    private static void collectQueries(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectQueries(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectQueries(n, out));
        }
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
