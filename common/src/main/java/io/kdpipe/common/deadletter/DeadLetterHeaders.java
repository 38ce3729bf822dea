package io.kdpipe.common.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The context headers every kdpipe dead letter carries, beside the original key, value and headers.
 * The origin and exception headers use Kafka Connect's names, so tools that read Connect dead
 * letters read ours; the rest are kdpipe's own.
 */
public final class DeadLetterHeaders {

    private static final String CONNECT_PREFIX = "__connect.errors.";
    private static final String KDPIPE_PREFIX = "kdpipe.errors.";

    public static final String ORIGIN_TOPIC = "__connect.errors.topic";
    public static final String ORIGIN_PARTITION = "__connect.errors.partition";
    public static final String ORIGIN_OFFSET = "__connect.errors.offset";
    public static final String EXCEPTION_CLASS = "__connect.errors.exception.class.name";
    public static final String EXCEPTION_MESSAGE = "__connect.errors.exception.message";

    /** A short, stable name of the failure: a {@link DeadLetterClass}. */
    public static final String ERROR_CLASS = "kdpipe.errors.class";
    /**
     * Notifier dead letters: the detail within the error class, e.g. {@code INVALID_USER},
     * {@code NO_RECIPIENTS}, {@code BUDGET_EXHAUSTED}.
     */
    public static final String REASON = "kdpipe.errors.reason";
    public static final String STAGE = "kdpipe.errors.stage";
    /**
     * The {@link #STAGE} of a row the extractor could not read from Kingdee: there is no record to
     * move back (its origin partition and offset are -1); the customer is read again at its next save.
     */
    public static final String STAGE_EXTRACT = "extract";
    public static final String DINGTALK_ERRCODE = "kdpipe.errors.dingtalk.errcode";
    public static final String DINGTALK_SUB_CODE = "kdpipe.errors.dingtalk.sub_code";
    public static final String ATTEMPTS = "kdpipe.errors.attempts";
    public static final String FIRST_FAILURE = "kdpipe.errors.first.failure";
    public static final String REDRIVE_COUNT = "kdpipe.errors.redrive.count";

    private static final int MAX_MESSAGE_CHARS = 2000;

    private final RecordHeaders headers = new RecordHeaders();

    private DeadLetterHeaders() {
    }

    /**
     * Starts from the original record's headers (kept as they were, except earlier kdpipe or Connect
     * error context, which this dead letter replaces) and adds where the record came from.
     */
    public static DeadLetterHeaders from(Headers original, String topic, int partition, long offset) {
        DeadLetterHeaders h = new DeadLetterHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!isErrorContext(header.key())
                        || header.key().equals(REDRIVE_COUNT)) {
                    h.headers.add(header);
                }
            }
        }
        return h.put(ORIGIN_TOPIC, topic)
                .put(ORIGIN_PARTITION, String.valueOf(partition))
                .put(ORIGIN_OFFSET, String.valueOf(offset));
    }

    /** Whether a header is error context a dead letter adds (Connect's or kdpipe's), which a redrive removes. */
    public static boolean isErrorContext(String headerKey) {
        return headerKey.startsWith(CONNECT_PREFIX) || headerKey.startsWith(KDPIPE_PREFIX);
    }

    public DeadLetterHeaders errorClass(DeadLetterClass errorClass) {
        return put(ERROR_CLASS, errorClass.name());
    }

    /**
     * An error class outside {@link DeadLetterClass}: the transformer names a failure no contract
     * names by its exception's simple class name.
     */
    public DeadLetterHeaders errorClass(String errorClass) {
        return put(ERROR_CLASS, errorClass);
    }

    public DeadLetterHeaders reason(String reason) {
        return put(REASON, reason);
    }

    public DeadLetterHeaders stage(String stage) {
        return put(STAGE, stage);
    }

    public DeadLetterHeaders exception(Throwable error) {
        put(EXCEPTION_CLASS, error.getClass().getName());
        return put(EXCEPTION_MESSAGE, String.valueOf(error.getMessage()));
    }

    public DeadLetterHeaders exception(String className, String message) {
        put(EXCEPTION_CLASS, className);
        return put(EXCEPTION_MESSAGE, message);
    }

    public DeadLetterHeaders dingTalk(Long errcode, String subCode) {
        if (errcode != null) {
            put(DINGTALK_ERRCODE, String.valueOf(errcode));
        }
        if (subCode != null) {
            put(DINGTALK_SUB_CODE, subCode);
        }
        return this;
    }

    public DeadLetterHeaders attempts(int attempts, Instant firstFailure) {
        put(ATTEMPTS, String.valueOf(attempts));
        return firstFailure == null ? this : put(FIRST_FAILURE, firstFailure.toString());
    }

    public DeadLetterHeaders put(String key, String value) {
        headers.remove(key);
        if (value != null) {
            String v = value.length() > MAX_MESSAGE_CHARS ? value.substring(0, MAX_MESSAGE_CHARS) + "…" : value;
            headers.add(key, v.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public Headers build() {
        return headers;
    }

    /** The last value of a header as text, or null. */
    public static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
