package io.kdpipe.bench.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerTopology;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.state.RocksDbMemory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The JVM one of B1's applications (and B2's extractor) runs in, so that what the JIT compiles for the broker and for the
 * other applications does not land in its timed window: the bench JVM keeps the broker and starts
 * one such JVM per application ({@link AppJvm}). It reads the applications it may run from a
 * properties file ({@code N.kind} and that application's settings, N from 0), then takes commands
 * from standard input, one per line: {@code start N} starts application N and prints
 * {@code B1APP started N} once it runs; {@code close} closes it and prints {@code B1APP closed};
 * {@code note TEXT} prints {@code B1APP note TEXT}, to find a moment in the log; the end of the input
 * closes what runs and exits.
 *
 * <p>Kinds: {@code copy} (the plain consumer→producer copy: {@code bootstrap}, {@code group},
 * {@code input}, {@code output}), {@code naive}, {@code floor} and {@code eoscopy} ({@link NaiveDedupTopology},
 * {@link FloorTopology}, {@link EosCopyTopology}: {@code bootstrap}, {@code applicationId}, {@code stateDir}, {@code input},
 * {@code output}, and Streams settings of their own as {@code streams.NAME}), {@code transformer} (kdpipe's transformer: its settings are its environment, as
 * {@code env.NAME}), {@code work} ({@link WorkTopology} on the transformer's settings, {@code env.NAME} as well), {@code extractor} (kdpipe's extractor, {@code env.NAME} as well, watched until a counter
 * reaches a count: {@code until.meter}, {@code until.count}, {@code report.meter}, {@code report.tag}; for B2).
 */
public final class B1App {

    static final String STARTED = "B1APP started ";
    static final String CLOSED = "B1APP closed";
    static final String REACHED = "B1APP reached ";
    static final String REPORT = "B1APP report ";

    private B1App() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        Properties apps = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            apps.load(in);
        }
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        AutoCloseable running = null;
        try {
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                if (line.startsWith("start ")) {
                    if (running != null) {
                        throw new IllegalStateException("start while an application runs");
                    }
                    String n = line.substring(6).strip();
                    running = start(settings(apps, n));
                    System.out.println(STARTED + n);
                } else if (line.startsWith("note ")) {
                    System.out.println("B1APP " + line);
                } else if (line.equals("close")) {
                    if (running != null) {
                        running.close();
                        running = null;
                    }
                    System.out.println(CLOSED);
                }
                System.out.flush();
            }
        } finally {
            if (running != null) {
                running.close();
            }
        }
        System.exit(0);
    }

    /** Application {@code n}'s settings, without their {@code n.} prefix. */
    private static Map<String, String> settings(Properties apps, String n) {
        Map<String, String> s = new HashMap<>();
        apps.stringPropertyNames().stream().filter(k -> k.startsWith(n + "."))
                .forEach(k -> s.put(k.substring(n.length() + 1), apps.getProperty(k)));
        if (!s.containsKey("kind")) {
            throw new IllegalArgumentException("no application " + n);
        }
        return s;
    }

    private static AutoCloseable start(Map<String, String> s) {
        String kind = s.get("kind");
        switch (kind) {
            case "copy":
                return copy(s.get("bootstrap"), s.get("group"), s.get("input"), s.get("output"));
            case "naive":
            case "floor":
            case "eoscopy": {
                var topology = switch (kind) {
                    case "naive" -> NaiveDedupTopology.build(s.get("input"), s.get("output"));
                    case "floor" -> FloorTopology.build(s.get("input"), s.get("output"));
                    default -> EosCopyTopology.build(s.get("input"), s.get("output"));
                };
                Properties properties = NaiveDedupTopology.properties(s.get("bootstrap"), s.get("applicationId"), s.get("stateDir"));
                s.forEach((k, v) -> {
                    if (k.startsWith("streams.")) {
                        properties.put(k.substring("streams.".length()), v);
                    }
                });
                KafkaStreams streams = new KafkaStreams(topology, properties);
                streams.start();
                return () -> streams.close(Duration.ofSeconds(30));
            }
            case "transformer":
                return Services.transformer(env(s));
            case "work":
                return work(env(s));
            case "extractor":
                return extractor(env(s), s.get("until.meter"), Double.parseDouble(s.get("until.count")), s.get("report.meter"),
                        s.get("report.tag"));
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    /** {@link WorkTopology} on the transformer's settings from {@code env}, with the transformer's RocksDB memory bound. */
    private static AutoCloseable work(Map<String, String> env) {
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            new TopicInitializer(admin, config.kafka().topicPrefix(), config.kafka().replicationFactor())
                    .ensure(List.of(Topics.CUSTOMERS, Topics.DIRECTORY, Topics.NOTICES, Topics.ROWS_DLT));
        }
        TransformerMetrics metrics = new TransformerMetrics(new SimpleMeterRegistry());
        RocksDbMemory rocksDb = new RocksDbMemory(config.rocksDbMemoryMb() * 1024L * 1024L);
        KafkaStreams streams = new KafkaStreams(WorkTopology.build(config, metrics),
                rocksDb.configure(TransformerTopology.streamsProperties(config, metrics)));
        streams.start();
        return () -> {
            streams.close(Duration.ofSeconds(30));
            rocksDb.close();
        };
    }

    /** A service's environment: the settings given as {@code env.NAME}. */
    private static Map<String, String> env(Map<String, String> s) {
        Map<String, String> env = new HashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith("env.")) {
                env.put(k.substring(4), v);
            }
        });
        return env;
    }

    /**
     * The extractor, watched in-process: once the counters of {@code untilMeter} add up to {@code until},
     * prints {@link #REACHED} and {@code System.nanoTime()} (the same clock in every JVM of a Linux machine),
     * then {@link #REPORT} and each counter of {@code reportMeter} by its tag {@code reportTag}, as
     * {@code value=count} pairs separated by {@code ;}.
     */
    private static AutoCloseable extractor(Map<String, String> env, String untilMeter, double until, String reportMeter,
            String reportTag) {
        ServiceRuntime extractor = Services.extractor(env);
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                double sum = extractor.registry().find(untilMeter).counters().stream().mapToDouble(Counter::count).sum();
                if (sum >= until) {
                    long at = System.nanoTime();
                    StringBuilder report = new StringBuilder();
                    for (Counter c : extractor.registry().find(reportMeter).counters()) {
                        report.append(report.length() == 0 ? "" : ";").append(c.getId().getTag(reportTag)).append('=')
                                .append((long) c.count());
                    }
                    System.out.println(REACHED + at);
                    System.out.println(REPORT + report);
                    System.out.flush();
                    return;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }, "b2-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return () -> {
            stop.set(true);
            watcher.join();
            extractor.close();
        };
    }

    /** The plain copy: at least once, no transactions, no state; flush and commit after every poll. */
    private static AutoCloseable copy(String bootstrap, String group, String input, String output) {
        AtomicBoolean stop = new AtomicBoolean();
        Kafka kafka = new Kafka(bootstrap);
        Thread copier = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(group); KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                consumer.subscribe(List.of(input));
                while (!stop.get()) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        producer.send(new ProducerRecord<>(output, r.key(), r.value()));
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    producer.flush();
                    consumer.commitSync(offsets);
                }
            }
        }, "b1-copy");
        copier.start();
        return () -> {
            stop.set(true);
            copier.join();
            kafka.close();
        };
    }

    /** For {@link AppJvm}: the settings of one application, written to its properties file. */
    static void write(Properties apps, int n, Map<String, String> settings) {
        settings.forEach((k, v) -> apps.setProperty(n + "." + k, v));
    }

    static void save(Properties apps, Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            apps.store(out, "B1 applications");
        }
    }
}
