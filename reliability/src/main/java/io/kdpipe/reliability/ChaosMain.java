package io.kdpipe.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code java -cp "$(cat reliability/target/chaos.classpath):reliability/target/classes" io.kdpipe.reliability.ChaosMain [long|short]}
 * from the project root after {@code mvn -B -DskipTests package}: runs the chaos suite, prints the
 * report and writes it to {@code reliability/target/chaos-runs/<time>/report.md}. The long mode also
 * writes {@code reliability/results/long-run.md} and {@code long-run.json} ({@link ResultFiles}):
 * the report with the commit it ran on and its inputs. Exit code 0 when every target is met, 1 otherwise.
 */
public final class ChaosMain {

    static final String COMMAND = "java -cp \"$(cat reliability/target/chaos.classpath):reliability/target/classes\" "
            + "io.kdpipe.reliability.ChaosMain ";

    private ChaosMain() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "long";
        Path root = Path.of(System.getProperty("kdpipe.root", ".")).toAbsolutePath().normalize();
        Path cpFile = root.resolve("reliability/target/chaos.classpath");
        String classpath = Files.readString(cpFile).trim() + File.pathSeparator + root.resolve("reliability/target/classes");
        Instant ranAt = Instant.now();
        Path runDir = root.resolve("reliability/target/chaos-runs").resolve(ranAt.truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
        ChaosOptions options = switch (mode) {
            case "long" -> ChaosOptions.longRun(root, classpath, runDir);
            case "short" -> ChaosOptions.shortRun(root, classpath, runDir);
            default -> {
                System.err.println("usage: ChaosMain [long|short]");
                System.exit(2);
                yield null;
            }
        };
        String commit = ResultFiles.commit(root);
        ChaosReport report = ChaosRun.run(options, line -> System.out.println("[chaos] " + line));
        String md = report.toMarkdown();
        Files.writeString(runDir.resolve("report.md"), md);
        System.out.println(md);
        if (mode.equals("long")) {
            ResultFiles.write(report, root.resolve("reliability/results"), "long-run", commit, COMMAND + mode, ranAt)
                    .forEach(p -> System.out.println("[chaos] wrote " + root.relativize(p)));
        }
        System.exit(report.passed() ? 0 : 1);
    }
}
