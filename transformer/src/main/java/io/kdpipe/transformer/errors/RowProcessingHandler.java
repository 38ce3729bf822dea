package io.kdpipe.transformer.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A decoded row whose processing throws (e.g. its key does not match its content) goes to
 * {@code kdpipe.rows.dlt.v1} with the original bytes and the reason, and processing resumes.
 * A failure outside any input record (a punctuation) has nothing to dead-letter and fails the
 * thread, for the uncaught-exception handler to deal with.
 */
public final class RowProcessingHandler extends DeadLetteringHandler implements ProcessingExceptionHandler {

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (record == null || context.sourceRawValue() == null && context.sourceRawKey() == null) {
            return Response.fail();
        }
        return Response.resume(deadLetters().records("process", context.topic(), context.partition(), context.offset(),
                context.headers(), context.sourceRawKey(), context.sourceRawValue(), exception));
    }
}
