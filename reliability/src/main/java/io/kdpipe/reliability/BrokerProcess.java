package io.kdpipe.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;

/**
 * A single-node KRaft broker in a process of its own ({@code java -cp <class path> kafka.Kafka
 * server.properties}), so the suite can stop and restart it like a real broker. Its data directory
 * survives restarts; its output goes to {@code broker-<n>.log} in the run directory.
 */
final class BrokerProcess implements AutoCloseable {

    private final Path runDir;
    private final Path properties;
    private final String classpath;
    private final int port;
    private int starts;
    private int cleanRestarts;
    private int kills;
    private Process process;

    private BrokerProcess(Path runDir, Path properties, String classpath, int port) {
        this.runDir = runDir;
        this.properties = properties;
        this.classpath = classpath;
        this.port = port;
    }

    /** Writes the properties, formats the storage (in this JVM) and starts the broker. */
    static BrokerProcess start(Path runDir, String classpath) {
        int port = Ports.free();
        int controllerPort = Ports.free();
        Path dir = runDir.resolve("kafka");
        Properties p = EmbeddedKafkaBroker.singleNodeProperties(dir, port, controllerPort);
        // killed members should leave their groups quickly; the services ask for 6 s sessions
        p.setProperty("group.min.session.timeout.ms", "3000");
        try {
            Path file = EmbeddedKafkaBroker.formatStorage(dir, p);
            BrokerProcess broker = new BrokerProcess(runDir, file, classpath, port);
            broker.startProcess();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bootstrap() {
        return "localhost:" + port;
    }

    private void startProcess() throws IOException {
        starts++;
        ProcessBuilder pb = new ProcessBuilder(List.of(Processes.java(), "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath,
                "kafka.Kafka", properties.toString()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(runDir.resolve("broker-" + starts + ".log").toFile());
        process = pb.start();
        await("the broker to listen on " + port).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> Ports.open(port));
    }

    /** A clean stop (SIGTERM, as an orchestrator does), then a start on the same data. */
    void restart() {
        try {
            Processes.stop(process, Duration.ofSeconds(30));
            cleanRestarts++;
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9} (no shutdown, unflushed logs are recovered at the next start), then a start on the same data. */
    void kill9AndStart() {
        try {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The broker did not end within 30 s of SIGKILL");
            }
            kills++;
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Clean restarts done. */
    int cleanRestarts() {
        return cleanRestarts;
    }

    /** SIGKILLs done (each followed by a start). */
    int kills() {
        return kills;
    }

    Path logDir() {
        return runDir;
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.stop(process, Duration.ofSeconds(20));
        }
    }
}
