package io.kdpipe.sandbox.dingtalk;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A work notification as one user received it.
 *
 * @param taskId      the {@code task_id} of the call that delivered it
 * @param msg         the {@code msg} object as sent
 * @param receivedAt  when the sandbox delivered it
 */
public record InboxMessage(long taskId, JsonNode msg, Instant receivedAt) {
}
