package io.kdpipe.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

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
    private Process process;

    private BrokerProcess(Path runDir, Path properties, String classpath, int port) {
        this.runDir = runDir;
        this.properties = properties;
        this.classpath = classpath;
        this.port = port;
    }

    /** Writes the properties, formats the storage (in this JVM: StorageTool returns a code) and starts the broker. */
    static BrokerProcess start(Path runDir, String classpath) {
        int port = Ports.free();
        int controllerPort = Ports.free();
        Path dir = runDir.resolve("kafka");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // killed members should leave their groups quickly; the services ask for 6 s sessions
        p.setProperty("group.min.session.timeout.ms", "3000");
        p.setProperty("log.cleaner.dedupe.buffer.size", "4194304");
        p.setProperty("auto.create.topics.enable", "false");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "kdpipe chaos broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new IllegalStateException("Formatting the broker storage failed: " + out.toString(StandardCharsets.UTF_8));
            }
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
        Processes.await(() -> Ports.open(port), java.time.Duration.ofSeconds(60), "the broker to listen on " + port);
    }

    /** A clean stop (SIGTERM, as an orchestrator does), then a start on the same data. */
    void restart() {
        try {
            Processes.stop(process, java.time.Duration.ofSeconds(30));
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logDir() {
        return runDir;
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.stop(process, java.time.Duration.ofSeconds(20));
        }
    }
}
