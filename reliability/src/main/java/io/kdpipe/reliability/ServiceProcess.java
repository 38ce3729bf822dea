package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One kdpipe service as a process of its own, started from its packaged jar
 * ({@code <service>/target/<service>-<version>.jar}, class path {@code target/lib}) with a
 * clean environment holding only its settings. Every start writes {@code <name>-<n>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final Path runDir;
    private final List<Path> logs = new ArrayList<>();
    private Process process;
    private int kills;
    private int unexpectedExits;
    private boolean down;

    ServiceProcess(String name, Path jar, Map<String, String> env, Path runDir) {
        this.name = name;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.runDir = runDir;
    }

    /** The packaged jar of {@code service} under the project root. */
    static Path jar(Path root, String service) {
        Path target = root.resolve(service).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(service + "-[0-9].*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No " + service + " jar in " + target + ": run `mvn -DskipTests package` first"));
        } catch (IOException e) {
            throw new UncheckedIOException("No " + target + ": run `mvn -DskipTests package` first", e);
        }
    }

    String name() {
        return name;
    }

    synchronized void start() {
        Path log = runDir.resolve(name + "-" + (logs.size() + 1) + ".log");
        logs.add(log);
        down = false;
        ProcessBuilder pb = command(jar, log);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    static ProcessBuilder command(Path jar, Path log) {
        ProcessBuilder pb = new ProcessBuilder(Processes.java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb;
    }

    /** {@code kill -9}: SIGKILL, no shutdown hook runs. */
    synchronized void kill9() {
        if (process != null && process.isAlive()) {
            down = true;
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kills++;
        }
    }

    /**
     * Restarts the service when it ended without being killed (a crash, as a supervisor would) and
     * counts it; a crash loop shows up as a growing count.
     */
    synchronized void superviseOnce() {
        if (process != null && !down && !process.isAlive()) {
            unexpectedExits++;
            start();
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    int kills() {
        return kills;
    }

    int unexpectedExits() {
        return unexpectedExits;
    }

    List<Path> logs() {
        return List.copyOf(logs);
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            Processes.stop(process, java.time.Duration.ofSeconds(15));
        }
    }
}
