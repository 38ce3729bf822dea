package io.kdpipe.transformer.errors;

import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.ContractException;
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
    /** Streams config key naming the directory topic: its bad records are skipped, not dead-lettered. */
    public static final String DIRECTORY_TOPIC_CONFIG = "kdpipe.transformer.directory.topic";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final String topic;
    private final String directoryTopic;
    private final TransformerMetrics metrics;

    private DeadLetters(String topic, String directoryTopic, TransformerMetrics metrics) {
        this.topic = topic;
        this.directoryTopic = directoryTopic;
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
        Object d = configs.get(DIRECTORY_TOPIC_CONFIG);
        return new DeadLetters(t.toString(), d == null ? null : d.toString(), metrics);
    }

    /** The short reason in {@code kdpipe.errors.class}: the contract reason, or the exception's simple name. */
    static String reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ContractException ce) {
                return ce.reason().name();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The dead letter to write, or none for a record of the directory (read by the global thread, which cannot write them). */
    List<ProducerRecord<byte[], byte[]>> records(String stage, String originTopic, int partition, long offset,
            Headers originalHeaders, byte[] key, byte[] value, Exception error) {
        String reason = reason(error);
        if (originTopic != null && originTopic.equals(directoryTopic)) {
            log.warn("Skipping unreadable directory record at {}-{}@{}: {}", originTopic, partition, offset, error.getMessage());
            metrics.deadLetter("directory-skipped", reason);
            return List.of();
        }
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
