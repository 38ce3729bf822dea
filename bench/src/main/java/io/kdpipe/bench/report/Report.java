package io.kdpipe.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/** Renders results as a console table, Markdown and JSON. */
public final class Report {

    private final Map<String, String> machine;
    private final List<Result> results;
    private final String command;

    public Report(Map<String, String> machine, List<Result> results, String command) {
        this.machine = machine;
        this.results = List.copyOf(results);
        this.command = command;
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s %-58s %14s %-12s %12s %8s %-6s%n", "id", "what", "measured", "unit",
                "reference", "ratio", "target"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-22s %-58s %14s %-12s %12s %8s %-6s%n", r.id(), cut(r.what(), 58),
                    num(r.measured()), r.unit(), num(r.reference()), num(r.ratio()), verdict(r)));
        }
        return sb.toString();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("# kdpipe benchmark results\n\n");
        sb.append("Command:\n\n```bash\n").append(command).append("\n```\n\n## Machine\n\n| fact | value |\n|---|---|\n");
        machine.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v.isEmpty() ? "(none)" : v.replace("|", "\\|"))
                .append(" |\n"));
        sb.append("\n## Results\n\n| id | what | measured | unit | reference | ratio | target | verdict | notes |\n")
                .append("|---|---|---:|---|---:|---:|---|---|---|\n");
        for (Result r : results) {
            sb.append("| ").append(r.id()).append(" | ").append(r.what()).append(" | ").append(num(r.measured())).append(" | ")
                    .append(r.unit()).append(" | ").append(num(r.reference())).append(" | ").append(num(r.ratio())).append(" | ")
                    .append(r.target()).append(" | ").append(verdict(r)).append(" | ").append(r.notes().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    public String json() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("command", command);
        ObjectNode m = root.putObject("machine");
        machine.forEach(m::put);
        ArrayNode arr = root.putArray("results");
        for (Result r : results) {
            ObjectNode o = arr.addObject();
            o.put("id", r.id());
            o.put("what", r.what());
            putNumber(o, "measured", r.measured());
            o.put("unit", r.unit());
            putNumber(o, "reference", r.reference());
            putNumber(o, "ratio", r.ratio());
            o.put("target", r.target());
            if (r.met() == null) {
                o.putNull("met");
            } else {
                o.put("met", r.met());
            }
            o.put("notes", r.notes());
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <name>.md} and {@code <name>.json} into {@code dir}. */
    public void write(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(name + ".json"), json() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode o, String field, double value) {
        if (Double.isNaN(value)) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String verdict(Result r) {
        return r.met() == null ? "report" : r.met() ? "met" : "NOT met";
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
