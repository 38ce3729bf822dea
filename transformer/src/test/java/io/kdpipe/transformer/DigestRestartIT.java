package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Notices held for a digest live in changelogged stores: a new instance on an empty disk sends them. */
@ExtendWith(KafkaBrokerExtension.class)
class DigestRestartIT {

    @Test
    void shouldSendHeldNoticesAfterARestartOnAnEmptyStateDirectory(KafkaBroker broker) {
        double heldBefore;
        String prefix = TestNames.topicPrefix();
        String appId = TestNames.unique("transformer");
        // no directory here: the fallback list gives the notices recipients, so they are folded
        Map<String, String> longWindow = Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_THRESHOLD", "1",
                "KDPIPE_DIGEST_WINDOW", "1h", "KDPIPE_RECIPIENTS_FALLBACK", "admin01");
        TopicReader<String, Notice> reader = new TopicReader<>(broker, new StringDeserializer(), Topics.NOTICES.valueSerde().deserializer());
        String notices = Topics.NOTICES.name(prefix);

        try (RunningTransformer first = RunningTransformer.start(broker, prefix, appId, longWindow)) {
            try (KafkaProducer<String, CustomerRow> producer = new KafkaProducer<>(new HashMap<>(broker.clientConfig()),
                    new StringSerializer(), Topics.CUSTOMERS.valueSerde().serializer())) {
                for (int i = 1; i <= 4; i++) {
                    CustomerRow row = Rows.customer("700" + i).build();
                    producer.send(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), row.key(), row));
                }
            }
            // the first passes; the other three are held until the window ends, an hour from now
            assertThat(reader.awaitAtLeast(notices, 1, Duration.ofSeconds(60))).singleElement()
                    .satisfies(r -> assertThat(r.value().kind()).isEqualTo(Kind.CREATED));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> first.main.runtime().registry()
                    .find("kdpipe.transformer.rows.in").counter().count() >= 4);
            heldBefore = held(first);
        }
        assertThat(reader.readAll(notices)).hasSize(1);
        assertThat(heldBefore).isPositive();

        // a new instance counts the held notices it restored (the bound on held bytes covers them) and sends nothing yet
        try (RunningTransformer again = RunningTransformer.start(broker, prefix, appId, longWindow)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> held(again) == heldBefore);
        }
        assertThat(reader.readAll(notices)).hasSize(1);

        // same application, a fresh disk, and a window that has already run out
        Map<String, String> shortWindow = new HashMap<>(longWindow);
        shortWindow.put("KDPIPE_DIGEST_WINDOW", "1s");
        try (RunningTransformer second = RunningTransformer.start(broker, prefix, appId, shortWindow)) {
            List<ConsumerRecord<String, Notice>> out = reader.awaitAtLeast(notices, 2, Duration.ofSeconds(60));
            assertThat(out).hasSize(2);
            Notice digest = out.get(1).value();
            assertThat(digest.kind()).isEqualTo(Kind.DIGEST);
            // the rows sit on different partitions, so which one passed first varies; together they are all four, once
            assertThat(digest.customerKeys()).hasSize(3).doesNotContainAnyElementsOf(out.get(0).value().customerKeys());
            List<String> all = new ArrayList<>(out.get(0).value().customerKeys());
            all.addAll(digest.customerKeys());
            assertThat(all).containsExactlyInAnyOrder(Rows.key("7001"), Rows.key("7002"), Rows.key("7003"), Rows.key("7004"));
        }
    }

    private static double held(RunningTransformer transformer) {
        return transformer.main.runtime().registry().get("kdpipe.transformer.digest.held.bytes").gauge().value();
    }
}
