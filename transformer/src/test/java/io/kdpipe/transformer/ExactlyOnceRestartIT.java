package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.kdpipe.transformer.notice.NoticeIds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 20,000 rows (4,000 customers × 5 versions, repeats included) on a real broker under exactly-once.
 * The first transformer runs as its own JVM and is killed (SIGKILL, no shutdown, open transaction
 * left behind) while it is working through them; a new instance with an empty state directory (a
 * new pod) takes over. The committed output must be exactly the expected
 * notices: each customer's CREATED, CHANGED and APPROVED, nothing missing and nothing twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceRestartIT {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceRestartIT.class);
    private static final int CUSTOMERS = 4_000;
    private static final int SELLERS = 10;
    /** Rows from this index on are published only after the first instance is killed. */
    private static final int HELD_BACK_FROM = 15_000;
    /** A killed member leaves the group after its session timeout, and its open transaction is aborted after its timeout. */
    private static final Map<String, String> CRASH_SETTINGS = Map.of(
            "KAFKA_SESSION_TIMEOUT_MS", "6000",
            "KAFKA_TRANSACTION_TIMEOUT_MS", "5000");

    @Test
    void shouldWriteEveryExpectedNoticeExactlyOnceAcrossARestart(KafkaBroker broker) throws Exception {
        String prefix = TestNames.topicPrefix();
        String appId = TestNames.unique("transformer");
        // a huge threshold keeps every notice single (so the expected set is exact) while the
        // digest stores are still written, changelogged and restored
        Map<String, String> settings = Map.of(
                "KDPIPE_DIGEST_ENABLED", "true",
                "KDPIPE_DIGEST_THRESHOLD", "10000",
                "KDPIPE_DIGEST_WINDOW", "1h");

        Set<String> expected = new HashSet<>();
        List<CustomerRow> rows = scenario(expected);
        assertThat(rows).hasSize(20_000);
        assertThat(expected).hasSize(3 * CUSTOMERS);

        TopicReader<String, Notice> reader = new TopicReader<>(broker, new StringDeserializer(), Topics.NOTICES.valueSerde().deserializer());
        String noticesTopic = Topics.NOTICES.name(prefix);
        long started = System.nanoTime();
        Path stateDir = Files.createTempDirectory("transformer-child");
        Map<String, String> env = new HashMap<>(settings);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", appId);
        env.put("KDPIPE_STATE_DIR", stateDir.toString());
        env.put("KDPIPE_HTTP_PORT", "0");
        env.putAll(CRASH_SETTINGS);
        Process first = startChild(env);
        try {
            publishDirectory(broker, prefix);
            // kill the first instance part-way through: at its first commits, while it works through the
            // first three quarters of the input; the rest is published after the kill
            publish(broker, Topics.CUSTOMERS.name(prefix), rows.subList(0, HELD_BACK_FROM));
            int seen = reader.awaitAtLeast(noticesTopic, 1, Duration.ofSeconds(120)).size();
            log.info("First instance wrote at least {} notices before it was killed", seen);
        } finally {
            first.destroyForcibly();
            first.waitFor();
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        int afterFirst = reader.readAll(noticesTopic).size();
        assertThat(afterFirst).as("the first instance stopped mid-stream").isLessThan(expected.size());
        publish(broker, Topics.CUSTOMERS.name(prefix), rows.subList(HELD_BACK_FROM, rows.size()));

        Map<String, String> secondSettings = new HashMap<>(settings);
        secondSettings.putAll(CRASH_SETTINGS);
        try (RunningTransformer second = RunningTransformer.start(broker, prefix, appId, secondSettings)) {
            List<ConsumerRecord<String, Notice>> out = reader.awaitAtLeast(noticesTopic, expected.size(), Duration.ofSeconds(180));
            log.info("{} rows -> {} notices in {} ms ({} written by the first instance)", rows.size(), out.size(),
                    (System.nanoTime() - started) / 1_000_000, afterFirst);

            List<String> ids = new ArrayList<>();
            out.forEach(r -> ids.add(r.value().id()));
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(expected);
            assertThat(out).allSatisfy(r -> {
                Notice n = r.value();
                assertThat(n.recipients().userIds()).containsExactly("seller" + seller(n.customerKeys().get(0)));
            });
            // still exactly the expected set once the second instance has committed everything
            assertThat(reader.readAll(noticesTopic)).hasSize(expected.size());
        }
    }

    /** The transformer in a JVM of its own, on this test's class path, so it can be killed outright. */
    private static Process startChild(Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TransformerMain.class.getName());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(Path.of("target", "exactly-once-first-instance.log").toFile());
        return pb.start();
    }

    /** Per customer: v1 new, v1 again, v2 renamed, v3 only FModifyDate moved, v4 approved. Interleaved by round. */
    private static List<CustomerRow> scenario(Set<String> expected) {
        List<CustomerRow> rows = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int c = 1; c <= CUSTOMERS; c++) {
                String id = String.valueOf(100_000 + c);
                Rows.Builder b = Rows.customer(id).with("FSELLER_FNumber", "S" + (c % SELLERS)).with("FSALDEPTID_FNumber", null);
                CustomerRow row = switch (round) {
                    case 0, 1 -> b.build();
                    case 2 -> b.with("FName", "更名客户" + id).minutesLater(1).build();
                    case 3 -> b.with("FName", "更名客户" + id).minutesLater(2).build();
                    default -> b.with("FName", "更名客户" + id).with("FDocumentStatus", "C").minutesLater(3).build();
                };
                rows.add(row);
                if (round == 0) {
                    expected.add(NoticeIds.single(row.key(), Kind.CREATED, row.modifiedAt()));
                } else if (round == 2) {
                    expected.add(NoticeIds.single(row.key(), Kind.CHANGED, row.modifiedAt()));
                } else if (round == 4) {
                    expected.add(NoticeIds.single(row.key(), Kind.APPROVED, row.modifiedAt()));
                }
            }
        }
        return rows;
    }

    private static int seller(String customerKey) {
        int c = Integer.parseInt(customerKey.substring(customerKey.indexOf(':') + 1)) - 100_000;
        return c % SELLERS;
    }

    private static void publishDirectory(KafkaBroker broker, String prefix) {
        try (KafkaProducer<String, DirectoryEntry> producer = new KafkaProducer<>(new HashMap<>(broker.clientConfig()),
                new StringSerializer(), Topics.DIRECTORY.valueSerde().serializer())) {
            for (int s = 0; s < SELLERS; s++) {
                DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, "S" + s, "销售" + s, null,
                        "seller" + s, null, Rows.T0);
                producer.send(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key(), e));
            }
            producer.flush();
        }
    }

    private static void publish(KafkaBroker broker, String topic, List<CustomerRow> rows) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, CustomerRow> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.CUSTOMERS.valueSerde().serializer())) {
            for (CustomerRow row : rows) {
                producer.send(new ProducerRecord<>(topic, row.key(), row));
            }
            producer.flush();
        }
    }
}
