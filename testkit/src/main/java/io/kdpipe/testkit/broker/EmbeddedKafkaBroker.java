package io.kdpipe.testkit.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker and controller) running inside this JVM.
 *
 * <p>Used by integration tests and by {@code kdpipe local}. With {@link Builder#keepData(boolean)}
 * the log directory survives {@link #close()}, so a later start with the same directory resumes
 * the same cluster.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final PortRange LISTEN_PORTS = PortRange.outsideEphemeral(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Random RANDOM = new Random();

    private final Path dataDir;
    private final boolean keepData;
    private final int port;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, boolean keepData, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.keepData = keepData;
        this.port = port;
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (!keepData) {
            deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka broker on port {} stopped", port);
    }

    /** Settings of the embedded broker; defaults suit tests. */
    public static final class Builder {
        private Path dataDir;
        private boolean keepData;
        private int port;
        private int controllerPort;
        private int defaultPartitions = 1;
        private final Properties overrides = new Properties();

        /** Where the broker keeps its logs; a fresh temporary directory by default. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Keep the data directory on close, so the next start resumes the same cluster. */
        public Builder keepData(boolean keep) {
            this.keepData = keep;
            return this;
        }

        /** The client port; a free port by default. A kept cluster needs the same ports again. */
        public Builder port(int clientPort, int controllerPort) {
            this.port = clientPort;
            this.controllerPort = controllerPort;
            return this;
        }

        public Builder defaultPartitions(int partitions) {
            this.defaultPartitions = partitions;
            return this;
        }

        public Builder property(String key, String value) {
            overrides.setProperty(key, value);
            return this;
        }

        public EmbeddedKafkaBroker start() {
            try {
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("kdpipe-kafka-");
                Files.createDirectories(dir);
                int clientPort = port != 0 ? port : freePort();
                int ctrlPort = controllerPort != 0 ? controllerPort : freePort();
                Properties props = brokerProperties(dir, clientPort, ctrlPort);
                format(dir, props);
                long started = System.nanoTime();
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                server.startup();
                log.info("Embedded Kafka broker started on localhost:{} in {} ms (data in {})",
                        clientPort, (System.nanoTime() - started) / 1_000_000, dir);
                return new EmbeddedKafkaBroker(dir, keepData, clientPort, server);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded Kafka broker", e);
            }
        }

        private Properties brokerProperties(Path dir, int clientPort, int ctrlPort) {
            Properties p = singleNodeProperties(dir, clientPort, ctrlPort);
            p.setProperty("num.partitions", String.valueOf(defaultPartitions));
            p.putAll(overrides);
            return p;
        }

        private static void format(Path dir, Properties props) throws IOException {
            if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                return; // a kept cluster is already formatted
            }
            formatStorage(dir, props);
        }
    }

    /**
     * Settings of a single-node KRaft broker (broker and controller in one) on localhost, with its
     * logs under {@code dir/logs}: for this class and for a broker started as its own process.
     */
    public static Properties singleNodeProperties(Path dir, int clientPort, int ctrlPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        // a static quorum: formatting needs no --standalone
        p.setProperty("controller.quorum.voters", "1@localhost:" + ctrlPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + ctrlPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        // a single node can only replicate once
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // tests join groups constantly; waiting for more members only slows them
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // the default reserves 128 MB of heap for compaction
        p.setProperty("log.cleaner.dedupe.buffer.size", "4194304");
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    /** Writes {@code props} to {@code dir/server.properties} and formats the storage with a new cluster id. */
    public static Path formatStorage(Path dir, Properties props) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "kdpipe single-node broker");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = StorageTool.execute(
                new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IOException("Formatting the broker storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
        return file;
    }

    /**
     * A port nothing listens on, from below the kernel's ephemeral range: a port the kernel handed out
     * for {@code bind(0)} is released at once and may be taken by any outgoing connection before the
     * broker binds it; ports outside that range are only ever taken by a listener. A port is handed out
     * once per JVM.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = LISTEN_PORTS.lower() + RANDOM.nextInt(LISTEN_PORTS.size());
            if (HANDED_OUT.add(candidate) && bindable(candidate)) {
                return candidate;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports to choose listeners from: below the ephemeral range when there is room, above it otherwise. */
    record PortRange(int lower, int size) {
        static PortRange outsideEphemeral(Path rangeFile) {
            int low = 32768;
            int high = 60999;
            try {
                String[] parts = Files.readString(rangeFile).trim().split("\\s+");
                low = Integer.parseInt(parts[0]);
                high = Integer.parseInt(parts[1]);
            } catch (IOException | RuntimeException e) {
                // not Linux, or unreadable: the kernel's default range
            }
            if (low - 10_000 >= 2_000) {
                return new PortRange(10_000, low - 10_000);
            }
            if (65_535 - high >= 2_000) {
                return new PortRange(high + 1, 65_535 - high);
            }
            return new PortRange(1_024, Math.max(1, low - 1_024));
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
