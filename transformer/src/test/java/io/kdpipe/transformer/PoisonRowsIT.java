package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Poison rows on a real broker under exactly-once: each lands in the rows DLT with its reason, and the rows around it are processed. */
@ExtendWith(KafkaBrokerExtension.class)
class PoisonRowsIT {

    @Test
    void shouldDeadLetterPoisonRowsWithTheirReasonAndKeepProcessing(KafkaBroker broker) throws Exception {
        String prefix = TestNames.topicPrefix();
        try (RunningTransformer app = RunningTransformer.start(broker, prefix, TestNames.unique("transformer"),
                Map.of("KDPIPE_DIGEST_ENABLED", "false"))) {
            String topic = Topics.CUSTOMERS.name(prefix);
            byte[] good1 = CustomerRow.CODEC.encode(Rows.customer("1").build());
            byte[] good2 = CustomerRow.CODEC.encode(Rows.customer("2").build());
            Map<String, Object> config = new HashMap<>(broker.clientConfig());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                // all on one key, so one partition keeps their order
                String key = Rows.key("1");
                producer.send(new ProducerRecord<>(topic, key, good1));
                producer.send(new ProducerRecord<>(topic, key, "{\"schemaVersion\":1,\"account\":".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topic, key, "{\"schemaVersion\":2,\"account\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topic, key, new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'}));
                producer.send(new ProducerRecord<>(topic, key, "{\"schemaVersion\":1,\"account\":\"a\",\"form\":\"BD_Customer\"}"
                        .getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topic, key, good2)); // decodes, but belongs to customer 2
                producer.send(new ProducerRecord<>(topic, Rows.key("2"), good2));
                producer.flush();
            }

            TopicReader<byte[], byte[]> dltReader = new TopicReader<>(broker, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<ConsumerRecord<byte[], byte[]>> dead = dltReader.awaitAtLeast(Topics.ROWS_DLT.name(prefix), 5, Duration.ofSeconds(60));
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS))
                    .containsExactly("MALFORMED", "UNSUPPORTED_VERSION", "MALFORMED", "INVALID", "InvalidRowException");
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE))
                    .satisfiesExactly(
                            m -> assertThat(m).contains("not valid JSON"),
                            m -> assertThat(m).contains("schemaVersion 2 is not supported"),
                            m -> assertThat(m).contains("not valid UTF-8"),
                            m -> assertThat(m).contains("missing field 'customerId'"),
                            m -> assertThat(m).contains("does not match the row's key"));
            assertThat(dead).allSatisfy(r -> {
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo(topic);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Rows.key("1"));
            });
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_OFFSET))
                    .containsExactly("1", "2", "3", "4", "5");
            assertThat(dead.get(2).value()).containsExactly('{', '"', (byte) 0xFF, (byte) 0xFE, '"', '}');

            TopicReader<String, Notice> notices = new TopicReader<>(broker, new StringDeserializer(), Topics.NOTICES.valueSerde().deserializer());
            List<ConsumerRecord<String, Notice>> out = notices.awaitAtLeast(Topics.NOTICES.name(prefix), 2, Duration.ofSeconds(60));
            assertThat(out).extracting(r -> r.value().customerKeys().get(0)).containsExactlyInAnyOrder(Rows.key("1"), Rows.key("2"));
            assertThat(app.main.streams().state().isRunningOrRebalancing()).isTrue();
            assertThat(app.main.runtime().registry().find("kdpipe.transformer.dead.letters").counters().stream()
                    .mapToDouble(c -> c.count()).sum()).isEqualTo(5.0);

            // the Prometheus endpoint carries the business metrics and Kafka Streams' own
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + app.main.runtime().port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .contains("kdpipe_transformer_dead_letters_total{reason=\"MALFORMED\",service=\"transformer\",stage=\"parse\"} 2.0")
                    .contains("kdpipe_transformer_rows_in_total")
                    .contains("kafka_stream_");
        }
    }
}
