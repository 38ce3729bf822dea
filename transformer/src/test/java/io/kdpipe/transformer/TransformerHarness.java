package io.kdpipe.transformer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology on a {@link TopologyTestDriver}, configured from environment-style settings. */
final class TransformerHarness implements AutoCloseable {

    static final Instant WALL_CLOCK = Instant.parse("2026-11-28T03:00:00Z");

    final TransformerConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<String, CustomerRow> rows;
    final TestInputTopic<String, byte[]> rawRows;
    final TestInputTopic<String, DirectoryEntry> directory;
    final TestOutputTopic<String, Notice> notices;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, TrailEvent> trail;
    private final Path stateDir;

    private TransformerHarness(Map<String, String> settings) {
        try {
            stateDir = Files.createTempDirectory("transformer-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9");
        env.put("KDPIPE_STATE_DIR", stateDir.toString());
        env.put("KDPIPE_DIGEST_ENABLED", "false");
        env.putAll(settings);
        config = TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
        TransformerMetrics metrics = new TransformerMetrics(registry);
        topology = TransformerTopology.build(config, metrics);
        driver = new TopologyTestDriver(topology, TransformerTopology.streamsProperties(config, metrics), WALL_CLOCK);
        rows = driver.createInputTopic(config.topic(Topics.CUSTOMERS), new StringSerializer(),
                Topics.CUSTOMERS.valueSerde().serializer());
        rawRows = driver.createInputTopic(config.topic(Topics.CUSTOMERS), new StringSerializer(), new ByteArraySerializer());
        directory = driver.createInputTopic(config.topic(Topics.DIRECTORY), new StringSerializer(),
                Topics.DIRECTORY.valueSerde().serializer());
        notices = driver.createOutputTopic(config.topic(Topics.NOTICES), new StringDeserializer(),
                Topics.NOTICES.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(config.topic(Topics.ROWS_DLT), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        trail = driver.createOutputTopic(config.topic(Topics.TRAIL), new StringDeserializer(), Topics.TRAIL.valueSerde().deserializer());
    }

    static TransformerHarness start() {
        return new TransformerHarness(Map.of());
    }

    static TransformerHarness start(Map<String, String> settings) {
        return new TransformerHarness(settings);
    }

    void send(CustomerRow row) {
        rows.pipeInput(row.key(), row);
    }

    void send(Rows.Builder row) {
        send(row.build());
    }

    void person(String number, String userId) {
        DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, "姓名" + number, null,
                userId, null, Rows.T0);
        directory.pipeInput(e.key(), e);
    }

    /** The person's directory entry removed (a tombstone). */
    void removePerson(String number) {
        directory.pipeInput(DirectoryEntry.key(DirectoryEntry.Type.PERSON, number), null);
    }

    void department(String number, long deptId) {
        DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, number, "部门" + number,
                null, null, deptId, Rows.T0);
        directory.pipeInput(e.key(), e);
    }

    void entry(DirectoryEntry e) {
        directory.pipeInput(e.key(), e);
    }

    List<Notice> readNotices() {
        return notices.readValuesToList();
    }

    List<TestRecord<String, Notice>> readNoticeRecords() {
        return notices.readRecordsToList();
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
