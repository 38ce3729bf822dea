package io.kdpipe.extractor.job;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.CustomerRowWriter;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Headers;

/**
 * Writes a page's rows, its dead letters and its checkpoint in one Kafka transaction of the job's transactional
 * producer. A newer producer with the same transactional id (a new owner of the job) fences this
 * one: that surfaces as {@link FencedException} and the job stops here. A failed commit carries the
 * first failed send (a record too large, a missing topic...) as a suppressed exception, since the
 * commit's own message ("in an error state") does not name it.
 *
 * <p>A dead letter carries the rows as Kingdee sent them and the headers every kdpipe dead letter
 * carries ({@link DeadLetterHeaders}): the origin is the topic the customer was headed for, with
 * partition and offset -1 (it never was a record), stage {@code extract}, the reason as error class
 * and the unreadable value as exception message.
 */
public final class TransactionalPageSink implements PageSink {

    /** Another replica now owns the job. */
    static final class FencedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FencedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Producer<String, byte[]> producer;
    private final String customersTopic;
    private final String checkpointsTopic;
    private final String deadLetterTopic;

    /** The stage named in an extractor's dead letters. */
    static final String STAGE = DeadLetterHeaders.STAGE_EXTRACT;
    /** Kingdee's reading of a value the extractor cannot read. */
    static final String EXCEPTION_CLASS = "io.kdpipe.extractor.UnreadableValue";

    public TransactionalPageSink(Producer<String, byte[]> producer, String customersTopic, String checkpointsTopic, String deadLetterTopic) {
        this.producer = producer;
        this.customersTopic = customersTopic;
        this.checkpointsTopic = checkpointsTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void commit(List<CustomerRow> rows, List<DeadLetter> deadLetters, Checkpoint checkpoint) {
        // a failed send puts the transaction in an error state; its exception is the cause worth reporting
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        Callback failures = (metadata, e) -> {
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            }
        };
        try {
            producer.beginTransaction();
            try (CustomerRowWriter writer = new CustomerRowWriter()) {
                for (CustomerRow row : rows) {
                    producer.send(new ProducerRecord<>(customersTopic, row.key(), writer.write(row)), failures);
                }
            }
            for (DeadLetter d : deadLetters) {
                producer.send(new ProducerRecord<>(deadLetterTopic, null, d.key(), d.value(), headers(d)), failures);
            }
            producer.send(new ProducerRecord<>(checkpointsTopic, checkpoint.jobId(), Checkpoint.CODEC.encode(checkpoint)), failures);
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new FencedException("job " + checkpoint.jobId() + " is now owned by another extractor", e);
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            Exception cause = sendFailure.get();
            if (cause != null && cause != e && e.getCause() != cause) {
                e.addSuppressed(cause);
            }
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private Headers headers(DeadLetter d) {
        return DeadLetterHeaders.from(null, customersTopic, -1, -1)
                .errorClass(d.reason())
                .stage(STAGE)
                .exception(EXCEPTION_CLASS, d.message())
                .build();
    }
}
