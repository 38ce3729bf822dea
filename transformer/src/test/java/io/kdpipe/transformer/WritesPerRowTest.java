package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * What each kind of row writes (TopologyTestDriver commits after every record, so the cached stores
 * show their per-record worst case): a row that builds nothing writes at most its state, the same
 * version again or a save that moved only {@code FModifyDate} writes nothing, and no row that builds
 * nothing writes to the trail.
 */
class WritesPerRowTest {

    @Test
    void rowsThatBuildNothingWriteAtMostTheirState() {
        try (TransformerHarness h = TransformerHarness.start(Map.of())) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("3001").snapshot());
            assertThat(written(h)).isEqualTo(Map.of("customer-state-changelog", 1));

            h.send(Rows.customer("3001").snapshot());
            assertThat(written(h)).as("the same version again").isEmpty();

            h.send(Rows.customer("3001").minutesLater(1));
            assertThat(written(h)).as("a save that moved only FModifyDate").isEmpty();

            h.send(Rows.customer("3001").with("FDescription", "老客户").minutesLater(2));
            assertThat(written(h)).as("a save that moved an unwatched field").isEqualTo(Map.of("customer-state-changelog", 1));

            h.send(Rows.customer("3001").with("FDescription", "老客户").minutesLater(-5));
            assertThat(written(h)).as("out of order").isEmpty();

            h.send(Rows.customer("3001").with("FName", "新名字").minutesLater(3));
            // a change: its state, its trail event (which also carries the notice to the digest stage) and the
            // notice (the first of its window passes at once); the group's window is a cached store, written at
            // most once per commit
            Map<String, Integer> change = new TreeMap<>(written(h));
            assertThat(change.remove("digest-windows-changelog")).isIn(null, 1);
            assertThat(change).isEqualTo(Map.of("customer-state-changelog", 1, "kdpipe.trail.v1", 1, "dingtalk.notices.v1", 1));
        }
    }

    /** Records written since the last call, per topic (internal topics without the application id). */
    private static Map<String, Integer> written(TransformerHarness h) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : h.driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> out = h.driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            int n = out.readRecordsToList().size();
            if (n > 0) {
                String name = topic.startsWith(h.config.applicationId() + "-") ? topic.substring(h.config.applicationId().length() + 1)
                        : topic.substring(topic.indexOf("dingtalk.") >= 0 ? topic.indexOf("dingtalk.") : topic.indexOf("kdpipe."));
                counts.merge(name, n, Integer::sum);
            }
        }
        return counts;
    }
}
