package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerTopology;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** B1-work builds, for B1's rows, the very notices the transformer sends with digests off, and nothing for a save without change. */
class WorkTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldBuildTheTransformersNoticesForTheSameRows() {
        TransformerConfig config = config("work");
        TransformerMetrics metrics = new TransformerMetrics(new SimpleMeterRegistry());
        List<Notice> work;
        try (TopologyTestDriver driver = new TopologyTestDriver(WorkTopology.build(config, metrics),
                TransformerTopology.streamsProperties(config, metrics), NOW)) {
            feed(driver, config);
            work = driver.createOutputTopic(config.topic(Topics.NOTICES), new StringDeserializer(), Topics.NOTICES.valueSerde().deserializer())
                    .readValuesToList();
        }
        // the transformer with digests off sends every notice it builds on as it is
        TransformerConfig transformerConfig = config("transformer");
        List<Notice> sent;
        Topology transformer = TransformerTopology.build(transformerConfig, metrics);
        try (TopologyTestDriver driver = new TopologyTestDriver(transformer, TransformerTopology.streamsProperties(transformerConfig, metrics), NOW)) {
            feed(driver, transformerConfig);
            sent = driver.createOutputTopic(transformerConfig.topic(Topics.NOTICES), new StringDeserializer(),
                    Topics.NOTICES.valueSerde().deserializer()).readValuesToList();
        }

        // per customer: new, address changed, saved without change, approved: three notices in four rows
        assertThat(work).hasSize(3 * 3).allSatisfy(n -> assertThat(n.recipients().userIds()).isNotEmpty());
        assertThat(work).containsExactlyElementsOf(sent);
    }

    private TransformerConfig config(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9");
        env.put("KDPIPE_STATE_DIR", stateDir.resolve(name).toString());
        env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", name);
        env.put("KDPIPE_DIGEST_ENABLED", "false");
        return TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
    }

    private static void feed(TopologyTestDriver driver, TransformerConfig config) {
        TestInputTopic<String, DirectoryEntry> directory = driver.createInputTopic(config.topic(Topics.DIRECTORY), new StringSerializer(),
                Topics.DIRECTORY.valueSerde().serializer());
        for (DirectoryEntry e : Rows.people(24, NOW)) {
            directory.pipeInput(e.key(), e);
        }
        TestInputTopic<String, CustomerRow> rows = driver.createInputTopic(config.topic(Topics.CUSTOMERS), new StringSerializer(),
                Topics.CUSTOMERS.valueSerde().serializer());
        for (int version = 0; version < 4; version++) {
            for (long id = 1; id <= 3; id++) {
                CustomerRow row = Rows.row(id, version, 24, true, CustomerRow.Phase.INCREMENTAL);
                rows.pipeInput(row.key(), row);
            }
        }
    }
}
