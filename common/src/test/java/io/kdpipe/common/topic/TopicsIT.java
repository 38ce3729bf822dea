package io.kdpipe.common.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.Samples;
import io.kdpipe.common.contract.Versioned;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicsIT {

    private final KafkaBroker broker;

    TopicsIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldCreateEveryDeclaredTopicWithItsSettingsAndReportDrift() throws Exception {
        String prefix = TestNames.topicPrefix();
        try (Admin admin = Admin.create(broker.clientConfig())) {
            TopicInitializer initializer = new TopicInitializer(admin, prefix, (short) -1);

            TopicInitializer.Report first = initializer.ensure(Topics.ALL);

            assertThat(first.created()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(t -> t.name(prefix)).toList());
            assertThat(first.mismatches()).isEmpty();
            Map<String, Integer> partitions = admin.describeTopics(first.created()).allTopicNames().get().values().stream()
                    .collect(Collectors.toMap(d -> d.name(), d -> d.partitions().size()));
            Topics.ALL.forEach(t -> assertThat(partitions).containsEntry(t.name(prefix), t.partitions()));

            TopicInitializer.Report again = initializer.ensure(Topics.ALL);
            assertThat(again.created()).as("a second start creates nothing").isEmpty();

            String notices = Topics.NOTICES.name(prefix);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, notices), List.of(
                    new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "1000"), AlterConfigOp.OpType.SET))))
                    .all().get();
            assertThat(initializer.ensure(Topics.ALL).mismatches())
                    .containsExactly(new TopicInitializer.Mismatch(notices, TopicConfig.RETENTION_MS_CONFIG, "604800000", "1000"));
        }
    }

    @Test
    void shouldReportAnExistingTopicWithTheWrongPartitionCountAndPolicy() throws Exception {
        String prefix = TestNames.topicPrefix();
        try (Admin admin = Admin.create(broker.clientConfig())) {
            admin.createTopics(List.of(new NewTopic(Topics.CUSTOMERS.name(prefix), 2, (short) 1))).all().get();

            TopicInitializer.Report report = new TopicInitializer(admin, prefix, (short) -1).ensure(List.of(Topics.CUSTOMERS));

            assertThat(report.created()).isEmpty();
            assertThat(report.mismatches()).extracting(TopicInitializer.Mismatch::setting)
                    .containsExactlyInAnyOrder("partitions", TopicConfig.CLEANUP_POLICY_CONFIG);
        }
    }

    @Test
    void shouldRoundTripEveryContractThroughItsSerdeOverTheBroker() {
        for (Samples.Case<?> c : Samples.all()) {
            roundTrip(c);
        }
    }

    private <T extends Versioned> void roundTrip(Samples.Case<T> c) {
        String topic = TestNames.unique("contract-" + c);
        try (Admin admin = Admin.create(broker.clientConfig());
             KafkaProducer<String, T> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                     Serdes.String().serializer(), c.codec().serde().serializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            producer.send(new ProducerRecord<>(topic, "k", c.value())).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        List<ConsumerRecord<String, T>> records = new TopicReader<>(broker, Serdes.String().deserializer(),
                c.codec().serde().deserializer()).readAll(topic);

        assertThat(records).singleElement().satisfies(r -> assertThat(r.value()).as(c.toString()).isEqualTo(c.value()));
    }
}
