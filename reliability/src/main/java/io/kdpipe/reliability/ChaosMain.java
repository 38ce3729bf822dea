package io.kdpipe.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code java -cp "$(cat reliability/target/chaos.classpath):reliability/target/classes" io.kdpipe.reliability.ChaosMain [long|short]}
 * from the project root after {@code mvn -B -DskipTests package}: runs the chaos suite, prints the
 * report and writes it to {@code reliability/target/chaos-runs/<time>/report.md}. Exit code 0 when
 * every target is met, 1 otherwise.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "long";
        Path root = Path.of(System.getProperty("kdpipe.root", ".")).toAbsolutePath().normalize();
        Path cpFile = root.resolve("reliability/target/chaos.classpath");
        String classpath = Files.readString(cpFile).trim() + java.io.File.pathSeparator + root.resolve("reliability/target/classes");
        Path runDir = root.resolve("reliability/target/chaos-runs").resolve(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
        ChaosOptions options = switch (mode) {
            case "long" -> ChaosOptions.longRun(root, classpath, runDir);
            case "short" -> ChaosOptions.shortRun(root, classpath, runDir);
            default -> {
                System.err.println("usage: ChaosMain [long|short]");
                System.exit(2);
                yield null;
            }
        };
        ChaosReport report = ChaosRun.run(options, line -> System.out.println("[chaos] " + line));
        String md = report.toMarkdown();
        Files.writeString(runDir.resolve("report.md"), md);
        System.out.println(md);
        System.exit(report.passed() ? 0 : 1);
    }
}
