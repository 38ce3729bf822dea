package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream thread that dies of a failure no handler takes (here: user code throwing where Kafka
 * Streams calls it outside the processing handler) stops the transformer visibly: liveness goes down
 * and the instance reports failed, which makes the process exit with status 1.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamThreadDeathIT {

    static final String POISON_KEY = "stream-thread-death";

    /** Throws for the poison key, as a bug would. */
    public static final class Failing implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (POISON_KEY.equals(record.key())) {
                throw new IllegalStateException("injected failure in a stream thread");
            }
            return record.timestamp();
        }
    }

    @Test
    void shouldGoDownAndReportFailedWhenAStreamThreadDies(KafkaBroker broker) {
        String prefix = TestNames.topicPrefix();
        try (RunningTransformer app = RunningTransformer.start(broker, prefix, TestNames.unique("transformer"),
                Map.of("KDPIPE_DIGEST_ENABLED", "false", "KAFKA_DEFAULT_TIMESTAMP_EXTRACTOR", Failing.class.getName()))) {
            assertThat(app.main.runtime().health().live().up()).isTrue();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(broker.clientConfig()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), POISON_KEY,
                        CustomerRow.CODEC.encode(Rows.customer("1").build())));
                producer.flush();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> app.main.failed());
            assertThat(app.main.runtime().health().live().up()).isFalse();
            assertThat(app.main.runtime().health().live().toString()).contains("Kafka Streams failed");
        }
    }
}
