package io.kdpipe.common.contract;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid value of a contract. It says what is wrong in terms a dead-letter
 * header can carry, and it is a {@link SerializationException} so Kafka Streams' deserialization
 * handler treats it as a poison record rather than a crash.
 */
public final class ContractException extends SerializationException {

    /** Why the bytes were refused. */
    public enum Reason {
        /** Not JSON, or not UTF-8, or not an object. */
        MALFORMED,
        /** No {@code schemaVersion}, or one this reader does not know. */
        UNSUPPORTED_VERSION,
        /** JSON of the right version whose content breaks the contract: a missing field, a wrong type. */
        INVALID
    }

    private static final long serialVersionUID = 1L;

    private final String contract;
    private final Reason reason;

    public ContractException(String contract, Reason reason, String message, Throwable cause) {
        super(contract + ": " + message, cause);
        this.contract = contract;
        this.reason = reason;
    }

    public String contract() {
        return contract;
    }

    public Reason reason() {
        return reason;
    }
}
