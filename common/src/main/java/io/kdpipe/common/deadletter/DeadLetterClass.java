package io.kdpipe.common.deadletter;

import io.kdpipe.common.contract.ContractException;

/**
 * Every value of the {@link DeadLetterHeaders#ERROR_CLASS} header: a short, stable name of why a
 * record was dead-lettered. Operators select dead letters by it ({@code kdpipe redrive --error-class})
 * and {@code kdpipe status} counts them by it.
 */
public enum DeadLetterClass {
    /** Extractor: a row whose {@code FCUSTID} is no whole number. */
    UNREADABLE_CUSTID,
    /** Extractor: a row whose {@code FModifyDate} is no date-time. */
    UNREADABLE_MODIFY_DATE,
    /** Transformer: a row that is not valid UTF-8 JSON ({@link ContractException.Reason#MALFORMED}). */
    MALFORMED,
    /** Transformer: a row of a schema version it does not read ({@link ContractException.Reason#UNSUPPORTED_VERSION}). */
    UNSUPPORTED_VERSION,
    /** Transformer: a row that breaks the contract ({@link ContractException.Reason#INVALID}). */
    INVALID,
    /** Notifier: a notice it cannot decode. */
    UNDECODABLE,
    /** Notifier: DingTalk refused the notice, or it can reach nobody; retrying cannot help. */
    PERMANENT,
    /** Notifier: retries did not succeed before the retry deadline. */
    RETRY_DEADLINE,
    /** Notifier: the monthly call budget ran out before the notice could be sent. */
    BUDGET,
    /** Notifier: DingTalk accepted the notice, and a later result check found it not delivered. */
    NOT_DELIVERED;

    /** The class of a contract failure. */
    public static DeadLetterClass of(ContractException.Reason reason) {
        return switch (reason) {
            case MALFORMED -> MALFORMED;
            case UNSUPPORTED_VERSION -> UNSUPPORTED_VERSION;
            case INVALID -> INVALID;
        };
    }
}
