package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.kdpipe.common.runtime.LivenessTracker;

/**
 * One kdpipe service as a process of its own, started from its packaged jar
 * ({@code <service>/target/<service>-<version>.jar}, class path {@code target/lib}) with a
 * clean environment holding only its settings. Every start writes {@code <name>-<n>.log}.
 *
 * <p>{@link #superviseOnce()} does what an orchestrator does: it restarts a process that ended
 * without being killed, and reads {@code /health/live} on the service's {@code KDPIPE_HTTP_PORT}.
 * Once the service has been live since its start (or its startup grace passed), every stretch of
 * failing liveness counts as an unhealthy period; a stretch longer than the restart limit (a silent
 * death: the process runs, its work does not) gets the process killed and started again, and is
 * counted ({@link LivenessTracker}).
 */
final class ServiceProcess implements AutoCloseable {

    /** How long a started service may take before failing liveness counts. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(60);

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final Path runDir;
    private final List<Path> logs = new ArrayList<>();
    private final URI liveness;
    private final LivenessTracker tracker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;
    private final AtomicInteger kills = new AtomicInteger();
    private int unexpectedExits;
    private volatile boolean down;

    ServiceProcess(String name, Path jar, Map<String, String> env, Path runDir, Duration livenessRestartAfter) {
        this.name = name;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.runDir = runDir;
        this.liveness = URI.create("http://localhost:" + env.get("KDPIPE_HTTP_PORT") + "/health/live");
        this.tracker = new LivenessTracker(livenessRestartAfter, STARTUP_GRACE, Integer.MAX_VALUE);
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

    /** Starts the service unless its process runs already (two restarts after kills may meet). */
    synchronized void startUnlessRunning() {
        if (process == null || !process.isAlive()) {
            start();
        }
    }

    synchronized void start() {
        Path log = runDir.resolve(name + "-" + (logs.size() + 1) + ".log");
        logs.add(log);
        down = false;
        tracker.started(Instant.now());
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

    /**
     * {@code kill -9}: SIGKILL, no shutdown hook runs. The signal goes out at once, without waiting
     * for a liveness probe the supervisor may be making.
     */
    void kill9() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        down = true;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kills.incrementAndGet();
    }

    /**
     * Restarts the service when it ended without being killed (a crash, as a supervisor would) and
     * counts it; a crash loop shows up as a growing count. Then reads its liveness.
     */
    synchronized void superviseOnce() {
        if (process == null || down) {
            return;
        }
        if (!process.isAlive()) {
            unexpectedExits++;
            start();
            return;
        }
        if (tracker.observe(probeLiveness(), Instant.now()) == LivenessTracker.Action.RESTART) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            start();
        }
    }

    /** Null when {@code /health/live} answers 200; otherwise what it said, or why it could not be read. */
    private String probeLiveness() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(liveness).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + ": " + r.body().strip();
        } catch (IOException e) {
            return "unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    int kills() {
        return kills.get();
    }

    int unexpectedExits() {
        return unexpectedExits;
    }

    /** Stretches of failing liveness after the service had been live (or its startup grace had passed). */
    int unhealthyPeriods() {
        return tracker.unhealthyPeriods();
    }

    /** Restarts because liveness stayed down longer than the limit. */
    int livenessRestarts() {
        return tracker.restarts();
    }

    /** What liveness said the last time a stretch of failing liveness began, or null. */
    String lastUnhealthy() {
        return tracker.lastProblem();
    }

    List<Path> logs() {
        return List.copyOf(logs);
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            Processes.stop(process, Duration.ofSeconds(15));
        }
    }
}
