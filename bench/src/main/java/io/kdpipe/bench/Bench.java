package io.kdpipe.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kdpipe.bench.micro.Micro;
import io.kdpipe.bench.pipeline.B1TransformerThroughput;
import io.kdpipe.bench.pipeline.B2ExtractorThroughput;
import io.kdpipe.bench.pipeline.B3NotifierRate;
import io.kdpipe.bench.pipeline.B4DigestEfficiency;
import io.kdpipe.bench.pipeline.B5Freshness;
import io.kdpipe.bench.pipeline.B6Memory;
import io.kdpipe.bench.pipeline.B7BulkSaveLookBack;
import io.kdpipe.bench.pipeline.B8LedgerRestart;
import io.kdpipe.bench.pipeline.Ctx;
import io.kdpipe.bench.pipeline.Kafka;
import io.kdpipe.bench.report.Machine;
import io.kdpipe.bench.report.Report;
import io.kdpipe.bench.report.Result;
import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;

/**
 * Runs benchmarks on demand and writes the results table.
 *
 * <pre>
 * java -Xmx6g -jar bench/target/bench-0.1.0-SNAPSHOT.jar [all|micro|B1|B2|B2-150ms|B3|B4|B5|B6|B7|B8 ...] [--scale=1.0] [--out=bench/results] [--name=results]
 * </pre>
 *
 * Pipeline benchmarks share one embedded KRaft broker; each uses its own topic prefix, groups and
 * transactional ids. A benchmark that fails is reported as such and the others still run.
 */
public final class Bench {

    static final List<String> ALL = List.of("micro", "B1", "B2", "B2-150ms", "B3", "B4", "B5", "B6", "B7", "B8");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // common's logback.xml is on the class path too; the results table wants the quiet one
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        Set<String> ids = new LinkedHashSet<>();
        double scale = 1.0;
        Path repo = repoRoot();
        Path out = repo.resolve("bench").resolve("results");
        String name = "results";
        for (String a : args) {
            if (a.startsWith("--scale=")) {
                scale = Double.parseDouble(a.substring(8));
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            } else if (a.startsWith("--name=")) {
                name = a.substring(7);
            } else if (a.equalsIgnoreCase("all")) {
                ids.addAll(ALL);
            } else {
                String id = ALL.stream().filter(a::equalsIgnoreCase).findFirst().orElse(null);
                if (id == null) {
                    System.err.println("unknown benchmark " + a + "; choose from all, " + String.join(", ", ALL));
                    System.exit(2);
                }
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(ALL);
        }
        Map<String, String> machine = Machine.facts();
        machine.put("scale", String.valueOf(scale));
        String command = command(args);
        List<Result> results = new ArrayList<>();

        if (ids.remove("micro")) {
            results.addAll(guard("micro", Micro::run));
        }
        if (!ids.isEmpty()) {
            Path scratch = Files.createTempDirectory("kdpipe-bench-");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().defaultPartitions(6).start();
                    Kafka kafka = new Kafka(broker.bootstrapServers())) {
                Ctx ctx = new Ctx(kafka, "bench" + Instant.now().getEpochSecond(), scale, scratch);
                for (String id : ids) {
                    System.out.println("== " + id + " ==");
                    long t0 = System.nanoTime();
                    List<Result> r = switch (id) {
                        case "B1" -> guard(id, () -> B1TransformerThroughput.run(ctx));
                        case "B2" -> guard(id, () -> B2ExtractorThroughput.run(ctx));
                        case "B2-150ms" -> guard(id, () -> B2ExtractorThroughput.stress(ctx));
                        case "B3" -> guard(id, () -> B3NotifierRate.run(ctx));
                        case "B4" -> guard(id, () -> B4DigestEfficiency.run(ctx));
                        case "B5" -> guard(id, () -> B5Freshness.run(ctx));
                        case "B6" -> guard(id, () -> B6Memory.run(ctx, repo));
                        case "B7" -> guard(id, () -> B7BulkSaveLookBack.run(ctx));
                        case "B8" -> guard(id, () -> B8LedgerRestart.run(ctx, repo));
                        default -> throw new IllegalArgumentException(id);
                    };
                    System.out.printf(Locale.ROOT, "%s took %.0f s%n", id, (System.nanoTime() - t0) / 1e9);
                    r.forEach(x -> System.out.println("  " + x));
                    results.addAll(r);
                }
            }
        }
        machine.put("loadAverageAtEnd", String.format(Locale.ROOT, "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        Report report = new Report(machine, results, command);
        System.out.println();
        System.out.print(report.table());
        report.write(out, name);
        System.out.println("written: " + out.resolve(name + ".md") + " and .json");
        System.exit(0);
    }

    interface Body {
        List<Result> run() throws Exception;
    }

    static List<Result> guard(String id, Body body) {
        try {
            return body.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            return List.of(new Result(id, "FAILED: " + e, Double.NaN, "-", Double.NaN, Double.NaN, "-", false,
                    "the benchmark did not complete"));
        }
    }

    static Path repoRoot() {
        String configured = System.getProperty("kdpipe.repo");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path c = p; c != null; c = c.getParent()) {
            if (Files.isRegularFile(c.resolve("bench").resolve("pom.xml"))) {
                return c;
            }
        }
        return p;
    }

    private static String command(String[] args) {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return "mvn -B -q -pl bench -am package -DskipTests && java " + String.join(" ", jvm)
                + " -jar bench/target/bench-0.1.0-SNAPSHOT.jar " + String.join(" ", args);
    }
}
