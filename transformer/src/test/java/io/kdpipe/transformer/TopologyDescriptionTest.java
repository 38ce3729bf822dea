package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Store and changelog names are deployed state: a change to the topology's shape or
 * names must be a deliberate edit of {@code topology-description.txt}.
 */
class TopologyDescriptionTest {

    @Test
    void shouldMatchThePinnedTopologyDescription() throws IOException {
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:9"))));
        Topology topology = TransformerTopology.build(config, new TransformerMetrics(new SimpleMeterRegistry()));
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/topology-description.txt")) {
            assertThat(in).as("src/test/resources/topology-description.txt").isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String actual = topology.describe().toString().strip();
        if (!actual.equals(expected.strip())) {
            // for review: the new description, ready to be copied over the pinned one
            Files.writeString(Path.of("target", "topology-description.actual.txt"), actual + "\n");
        }
        assertThat(actual).isEqualTo(expected.strip());
    }

    /** Task idling is off ({@code max.task.idle.ms} -1) because no task has a second input to wait for. */
    @Test
    void shouldGiveEveryTaskOneInputSoTaskIdlingHasNothingToWaitFor() {
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:9"))));
        TransformerMetrics metrics = new TransformerMetrics(new SimpleMeterRegistry());
        TopologyDescription description = TransformerTopology.build(config, metrics).describe();

        assertThat(description.subtopologies()).hasSize(2).allSatisfy(sub -> assertThat(sub.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .toList()).as("source topics of sub-topology %s", sub.id()).hasSize(1));
        assertThat(TransformerTopology.streamsProperties(config, metrics))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }
}
