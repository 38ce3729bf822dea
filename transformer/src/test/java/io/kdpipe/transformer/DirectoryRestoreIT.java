package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A malformed record that is the latest under a real directory key, on a real broker: skipped while
 * the transformer runs, and still skipped when a replacement rebuilds the directory's global store
 * from the topic on an empty state directory, so that salesperson's next change is routed by the
 * last readable entry rather than dead-lettered.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DirectoryRestoreIT {

    private static final String SELLER = "XSY002";

    @Test
    void shouldKeepTheLastReadableDirectoryEntryAcrossARestoreFromTheTopic(KafkaBroker broker) {
        String prefix = TestNames.topicPrefix();
        String applicationId = TestNames.unique("transformer");
        Map<String, String> settings = Map.of("KDPIPE_DIGEST_ENABLED", "false");
        DirectoryEntry entry = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, SELLER, "李娜", null,
                "lina01", null, Rows.T0);
        byte[] good = DirectoryEntry.CODEC.encode(entry);
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        String directory = Topics.DIRECTORY.name(prefix);
        String customers = Topics.CUSTOMERS.name(prefix);
        TopicReader<String, Notice> notices = new TopicReader<>(broker, new StringDeserializer(), Topics.NOTICES.valueSerde().deserializer());
        TopicReader<byte[], byte[]> dlt = new TopicReader<>(broker, new ByteArrayDeserializer(), new ByteArrayDeserializer());

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(broker.clientConfig()),
                new StringSerializer(), new ByteArraySerializer())) {
            try (RunningTransformer first = RunningTransformer.start(broker, prefix, applicationId, settings)) {
                producer.send(new ProducerRecord<>(directory, entry.key(), good));
                producer.send(new ProducerRecord<>(directory, entry.key(), cut)); // now the latest value under person:XSY002
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> directorySkipped(first) >= 1.0);
                producer.send(new ProducerRecord<>(customers, Rows.key("1"), row(Rows.customer("1").with("FSELLER_FNumber", SELLER))));
                producer.flush();
                List<ConsumerRecord<String, Notice>> out = notices.awaitAtLeast(Topics.NOTICES.name(prefix), 1, Duration.ofSeconds(60));
                assertThat(out.get(0).value().recipients().userIds()).containsExactly("lina01");
            } // closing also deletes its state directory: the replacement starts on an empty one

            try (RunningTransformer second = RunningTransformer.start(broker, prefix, applicationId, settings)) {
                producer.send(new ProducerRecord<>(customers, Rows.key("1"), row(Rows.customer("1").with("FSELLER_FNumber", SELLER)
                        .with("FName", "更名客户1").minutesLater(1))));
                producer.flush();
                // the change ends as a notice or as a dead letter
                await().atMost(Duration.ofSeconds(60)).until(() -> notices.readAll(Topics.NOTICES.name(prefix)).size() >= 2
                        || !dlt.readAll(Topics.ROWS_DLT.name(prefix)).isEmpty());
                assertThat(dlt.readAll(Topics.ROWS_DLT.name(prefix))).extracting(r -> DeadLetterHeaders.text(r.headers(),
                        DeadLetterHeaders.ERROR_CLASS)).as("reasons of dead-lettered changes").isEmpty();
                List<ConsumerRecord<String, Notice>> out = notices.readAll(Topics.NOTICES.name(prefix));
                assertThat(out).hasSize(2);
                assertThat(out.get(1).value().recipients().userIds()).as("routed by the last readable entry").containsExactly("lina01");
                assertThat(directorySkipped(second)).as("the rebuild from the topic skipped the malformed record").isEqualTo(1.0);
            }
        }
    }

    private static byte[] row(Rows.Builder b) {
        CustomerRow row = b.with("FSALDEPTID_FNumber", null).build();
        return CustomerRow.CODEC.encode(row);
    }

    private static double directorySkipped(RunningTransformer app) {
        return app.main.runtime().registry().find("kdpipe.transformer.dead.letters").tag("stage", "directory-skipped")
                .counters().stream().mapToDouble(Counter::count).sum();
    }
}
