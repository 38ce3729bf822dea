package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wait for rest before the verdict: a group with committed records left to read is not at
 * rest; once it has read them (its position after the last transaction's commit marker) it is,
 * and the marker is not counted as a record to read.
 */
class QuiescenceIT {

    @Test
    void aGroupWithRecordsLeftIsNotAtRestAndOneAfterTheCommitMarkerIs(@TempDir Path dir) throws Exception {
        String topic = TestNames.unique("quiescence");
        String group = TestNames.unique("quiescence-group");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start();
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("quiescence-tx")), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.commitTransaction();
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            Quiescence quiescence = new Quiescence(broker.bootstrapServers(), List.of(topic));

            admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);
            assertThat(quiescence.lagByGroup(admin)).containsEntry(group, 2L);
            assertThat(quiescence.await(Duration.ofSeconds(1), Duration.ofSeconds(3))).contains("group " + group + " has 2 records to read");

            // three records at offsets 0-2, the commit marker at 3: a reader that has read all sits at 3
            admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(3))).all().get(30, TimeUnit.SECONDS);
            assertThat(quiescence.lagByGroup(admin)).containsEntry(group, 0L);
            assertThat(quiescence.await(Duration.ofSeconds(1), Duration.ofSeconds(20))).isEmpty();
        }
    }
}
