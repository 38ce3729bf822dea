package io.kdpipe.transformer.errors;

import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.ContractException;
import io.kdpipe.common.deadletter.DeadLetterClass;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds rows dead letters: the original key and value bytes and headers, plus Connect-style
 * context headers. Shared by the deserialization and processing handlers, which Kafka Streams
 * creates from config; they find the dead-letter topic in {@code errors.dead.letter.queue.topic.name}
 * and the metrics under {@link #METRICS_CONFIG}.
 */
public final class DeadLetters {

    /** Streams config key holding the {@link TransformerMetrics} instance the handlers report to. */
    public static final String METRICS_CONFIG = "kdpipe.transformer.metrics";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final String topic;
    private final TransformerMetrics metrics;

    private DeadLetters(String topic, TransformerMetrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
    }

    static DeadLetters configure(Map<String, ?> configs) {
        Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        Object m = configs.get(METRICS_CONFIG);
        if (t == null || t.toString().isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the rows dead-letter topic");
        }
        if (!(m instanceof TransformerMetrics metrics)) {
            throw new IllegalStateException(METRICS_CONFIG + " must hold the TransformerMetrics instance");
        }
        return new DeadLetters(t.toString(), metrics);
    }

    /** The short reason in {@code kdpipe.errors.class}: the contract reason, or the exception's simple name. */
    static String reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ContractException ce) {
                return DeadLetterClass.of(ce.reason()).name();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The dead letter to write. */
    List<ProducerRecord<byte[], byte[]>> records(String stage, String originTopic, int partition, long offset,
            Headers originalHeaders, byte[] key, byte[] value, Exception error) {
        String reason = reason(error);
        log.warn("Dead-lettering record {}-{}@{} ({}): {}", originTopic, partition, offset, reason, error.getMessage());
        Headers headers = DeadLetterHeaders.from(originalHeaders, originTopic, partition, offset)
                .errorClass(reason)
                .stage(stage)
                .exception(error)
                .build();
        metrics.deadLetter(stage, reason);
        return List.of(new ProducerRecord<>(topic, null, key, value, headers));
    }
}
