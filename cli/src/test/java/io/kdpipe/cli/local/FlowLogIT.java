package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local run's status page counts the directory gaps notices ran into, from the notices topic. */
@ExtendWith(KafkaBrokerExtension.class)
class FlowLogIT {

    @Test
    void directoryGapsAreCountedForTheStatusPage(KafkaBroker broker) throws Exception {
        String prefix = TestNames.topicPrefix();
        try (Admin admin = Admin.create(broker.clientConfig())) {
            new TopicInitializer(admin, prefix, (short) -1).ensure(Topics.ALL);
        }
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                List<String> gaps = i == 2 ? List.of() : List.of("person:XSY030");
                Notice n = new Notice(Notice.VERSION, "n-" + i, Notice.Kind.CREATED, List.of("100:" + i),
                        new Notice.Recipients(List.of(), List.of(), gaps), Json.mapper().createObjectNode().put("msgtype", "text"),
                        new Notice.Provenance("kingdee.customers.v1", 0, i, t, null), t);
                producer.send(new ProducerRecord<>(Topics.NOTICES.name(prefix), ("rg-" + i).getBytes(StandardCharsets.UTF_8),
                        Notice.CODEC.encode(n))).get(30, TimeUnit.SECONDS);
            }
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        try (FlowLog flow = new FlowLog(broker.clientConfig(), prefix, lines::add, Clock.systemUTC(), Instant.now()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> flow.counts().notices() == 3);
            FlowLog.Counts c = flow.counts();
            assertThat(c.noticesWithGaps()).isEqualTo(2);
            assertThat(c.gaps()).containsExactly(Map.entry("person:XSY030", 2L));
        }
    }
}
