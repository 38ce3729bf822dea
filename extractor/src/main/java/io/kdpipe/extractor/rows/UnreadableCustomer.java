package io.kdpipe.extractor.rows;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.deadletter.DeadLetterClass;

/**
 * The rows of one customer that cannot be placed in the keyset order: an {@code FCUSTID} that is no
 * whole number, or an {@code FModifyDate} that is no date-time.
 *
 * @param customerId {@code FCUSTID} as Kingdee wrote it (trimmed), or null without one
 * @param reason     {@link #UNREADABLE_CUSTID} or {@link #UNREADABLE_MODIFY_DATE}
 * @param message    the value that cannot be read
 * @param lines      the raw rows as Kingdee sent them
 */
public record UnreadableCustomer(String customerId, String reason, String message, List<JsonNode[]> lines) {

    public static final String UNREADABLE_CUSTID = DeadLetterClass.UNREADABLE_CUSTID.name();
    public static final String UNREADABLE_MODIFY_DATE = DeadLetterClass.UNREADABLE_MODIFY_DATE.name();
    /** Every reason, for metrics that start at zero. */
    public static final List<String> REASONS = List.of(UNREADABLE_CUSTID, UNREADABLE_MODIFY_DATE);
}
