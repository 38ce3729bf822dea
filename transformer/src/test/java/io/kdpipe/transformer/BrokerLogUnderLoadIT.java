package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.routing.Router;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.kdpipe.transformer.notice.NoticeIds;
import io.kdpipe.transformer.serde.InternalSerdes;
import io.kdpipe.transformer.trail.TrailWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * B1's load in small (new customer, address change, save without change, approval; 24 salespeople),
 * digests on, at the default commit interval and producer settings: the committed output is exactly
 * the expected notices, and the broker (in this JVM) logs no error, in particular no
 * {@code OutOfOrderSequenceException} on the changelog or trail partitions.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BrokerLogUnderLoadIT {

    private static final int CUSTOMERS = 1_500;
    private static final int SELLERS = 24;

    @Test
    void shouldWriteExactlyTheExpectedOutputWithNoBrokerErrors(KafkaBroker broker) {
        Assumptions.assumeFalse("container".equalsIgnoreCase(System.getProperty(KafkaBrokerExtension.MODE_PROPERTY, "embedded")),
                "the broker's log is read in this JVM");
        // the broker's loggers (kafka.server.ReplicaManager logs a refused append), at INFO while the test runs,
        // so the capture is seen to work (the broker logs each new partition)
        ListAppender<ILoggingEvent> brokerLog = new ListAppender<>();
        brokerLog.start();
        Logger kafkaServer = (Logger) LoggerFactory.getLogger("kafka");
        Logger kafkaInternals = (Logger) LoggerFactory.getLogger("org.apache.kafka.storage");
        Level serverLevel = kafkaServer.getLevel();
        Level internalsLevel = kafkaInternals.getLevel();
        kafkaServer.setLevel(Level.INFO);
        kafkaInternals.setLevel(Level.INFO);
        kafkaServer.addAppender(brokerLog);
        kafkaInternals.addAppender(brokerLog);
        String prefix = TestNames.topicPrefix();
        String appId = TestNames.unique("transformer");
        Set<String> expected = new HashSet<>();
        List<CustomerRow> rows = load(expected);
        // the defaults, but for a window that closes within the test
        Map<String, String> settings = Map.of(
                "KAFKA_COMMIT_INTERVAL_MS", String.valueOf(TransformerTopology.DEFAULT_COMMIT_INTERVAL_MS),
                "KDPIPE_DIGEST_WINDOW", "1s",
                "KDPIPE_DIGEST_TICK", "100ms");
        try (RunningTransformer transformer = RunningTransformer.start(broker, prefix, appId, settings);
             Admin admin = Admin.create(new HashMap<>(broker.clientConfig()))) {
            publish(broker, prefix, rows);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> committed(admin, appId, Topics.CUSTOMERS.name(prefix)) == rows.size());
            TopicReader<String, TrailEvent> trail = new TopicReader<>(broker, new StringDeserializer(),
                    Topics.TRAIL.valueSerde().deserializer());
            List<String> built = new ArrayList<>();
            Map<String, ConsumerRecord<String, TrailEvent>> trailById = new HashMap<>();
            Map<String, Notice> carriedById = new HashMap<>();
            trail.readAll(Topics.TRAIL.name(prefix)).forEach(r -> {
                built.add(r.value().noticeId());
                trailById.put(r.value().noticeId(), r);
                Header carried = r.headers().lastHeader(TrailWriter.NOTICE_HEADER);
                if (carried != null) {
                    carriedById.put(r.value().noticeId(), InternalSerdes.ROUTED_NOTICE.decode(carried.value()).notice());
                }
            });
            assertThat(built).hasSize(expected.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(built)).isEqualTo(expected);
            // each trail event carries its notice (in a header), keyed by the notice's recipient group: the digest
            // stage reads it from there
            assertThat(trailById.values()).allSatisfy(r -> {
                Notice carried = carriedById.get(r.value().noticeId());
                assertThat(carried).isNotNull();
                assertThat(carried.id()).isEqualTo(r.value().noticeId());
                assertThat(r.key()).isEqualTo(Router.groupKey(carried.recipients()));
            });

            // every held notice goes out once its window has closed: each customer is told about, no notice twice
            TopicReader<String, Notice> notices = new TopicReader<>(broker, new StringDeserializer(),
                    Topics.NOTICES.valueSerde().deserializer());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<ConsumerRecord<String, Notice>> out = notices.readAll(Topics.NOTICES.name(prefix));
                Set<String> told = new HashSet<>();
                out.forEach(r -> told.addAll(r.value().customerKeys()));
                assertThat(told).hasSize(CUSTOMERS);
                assertThat(out).extracting(r -> r.value().id()).doesNotHaveDuplicates();
                assertThat(out).filteredOn(r -> r.value().kind() != Kind.DIGEST).allSatisfy(r -> {
                    assertThat(expected).contains(r.value().id());
                    // a single notice goes out as its trail event carries it, under the same key
                    assertThat(r.value()).isEqualTo(carriedById.get(r.value().id()));
                    assertThat(r.key()).isEqualTo(trailById.get(r.value().id()).key());
                });
            });
        } finally {
            kafkaServer.detachAppender(brokerLog);
            kafkaInternals.detachAppender(brokerLog);
            kafkaServer.setLevel(serverLevel);
            kafkaInternals.setLevel(internalsLevel);
        }
        List<ILoggingEvent> events = List.copyOf(brokerLog.list);
        assertThat(events).as("the broker's log is captured").isNotEmpty();
        assertThat(events).filteredOn(e -> e.getThrowableProxy() != null
                        && e.getThrowableProxy().getClassName().endsWith("OutOfOrderSequenceException"))
                .isEmpty();
        assertThat(events).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    /** Per customer, as in bench B1: new, address changed, saved without a change, approved. Round by round. */
    private static List<CustomerRow> load(Set<String> expected) {
        List<CustomerRow> rows = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int c = 1; c <= CUSTOMERS; c++) {
                String id = String.valueOf(200_000 + c);
                Rows.Builder b = Rows.customer(id).with("FSELLER_FNumber", String.format("XSY%03d", 1 + c % SELLERS))
                        .with("FADDRESS", "深圳市南山区科技路" + c + "号");
                CustomerRow row = switch (round) {
                    case 0 -> b.build();
                    case 1 -> b.with("FADDRESS", "深圳市南山区科技路" + (500 + c) + "号").minutesLater(1).build();
                    case 2 -> b.with("FADDRESS", "深圳市南山区科技路" + (500 + c) + "号").minutesLater(2).build();
                    default -> b.with("FADDRESS", "深圳市南山区科技路" + (500 + c) + "号").with("FDocumentStatus", "C").minutesLater(3).build();
                };
                rows.add(row);
                switch (round) {
                    case 0 -> expected.add(NoticeIds.single(row.key(), Kind.CREATED, row.modifiedAt()));
                    case 1 -> expected.add(NoticeIds.single(row.key(), Kind.CHANGED, row.modifiedAt()));
                    case 3 -> expected.add(NoticeIds.single(row.key(), Kind.APPROVED, row.modifiedAt()));
                    default -> { }
                }
            }
        }
        return rows;
    }

    private static void publish(KafkaBroker broker, String prefix, List<CustomerRow> rows) {
        try (KafkaProducer<String, DirectoryEntry> producer = new KafkaProducer<>(new HashMap<>(broker.clientConfig()),
                new StringSerializer(), Topics.DIRECTORY.valueSerde().serializer())) {
            for (int s = 1; s <= SELLERS; s++) {
                String number = String.format("XSY%03d", s);
                DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, "销售" + s, null,
                        "seller" + s, null, Rows.T0);
                producer.send(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key(), e));
            }
        }
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, CustomerRow> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.CUSTOMERS.valueSerde().serializer())) {
            rows.forEach(row -> producer.send(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), row.key(), row)));
        }
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
