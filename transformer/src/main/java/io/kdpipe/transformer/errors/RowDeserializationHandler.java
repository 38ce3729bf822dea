package io.kdpipe.transformer.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A row that cannot be decoded (not UTF-8, not JSON, unknown schema version, missing fields) goes to
 * {@code kdpipe.rows.dlt.v1} with its reason, in the same transaction as the task's other output,
 * and processing resumes with the next record.
 */
public final class RowDeserializationHandler extends DeadLetteringHandler implements DeserializationExceptionHandler {

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        return Response.resume(deadLetters().records("parse", record.topic(), record.partition(), record.offset(),
                record.headers(), record.key(), record.value(), exception));
    }
}
