package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A DingTalk work notification to send, on {@code dingtalk.notices.v1}. The transformer builds it;
 * the notifier sends it once and records it in the delivery ledger under {@link #id()}.
 *
 * @param id            deterministic: derived from the customer key, the kind and the row version,
 *                      so rebuilding the same change yields the same id
 * @param kind          what happened to the customer(s)
 * @param customerKeys  {@code {account}:{FCUSTID}} of every customer the notice is about
 * @param recipients    who receives it
 * @param msg           the DingTalk {@code msg} object exactly as it is sent (text or markdown),
 *                      at most 2048 bytes of UTF-8 once serialized
 * @param provenance    where it came from, for tracing, freshness and replays
 * @param createdAt     when the notice was built
 */
public record Notice(
        int schemaVersion,
        String id,
        Kind kind,
        List<String> customerKeys,
        Recipients recipients,
        JsonNode msg,
        Provenance provenance,
        Instant createdAt) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<Notice> CODEC = new Codec<>(Notice.class, VERSION);

    public enum Kind { CREATED, APPROVED, CHANGED, FORBIDDEN, ENABLED, DIGEST }

    public Notice {
        Require.text(id, "id");
        Require.present(kind, "kind");
        customerKeys = Require.list(customerKeys);
        Require.present(recipients, "recipients");
        Require.present(msg, "msg");
        Require.present(provenance, "provenance");
        Require.present(createdAt, "createdAt");
    }

    /**
     * @param userIds     DingTalk userids
     * @param deptIds     DingTalk department ids
     * @param unresolved  Kingdee person or department numbers that had no DingTalk id
     */
    public record Recipients(List<String> userIds, List<String> deptIds, List<String> unresolved) {
        public Recipients {
            userIds = Require.list(userIds);
            deptIds = Require.list(deptIds);
            unresolved = Require.list(unresolved);
        }

        public boolean isEmpty() {
            return userIds.isEmpty() && deptIds.isEmpty();
        }
    }

    /**
     * @param sourceTopic       the row topic the change was read from
     * @param partition         its partition
     * @param offset            its offset
     * @param sourceModifiedAt  the {@code FModifyDate} of the newest row behind the notice
     * @param replayOf          for a resend: the id of the original notice; otherwise null
     */
    public record Provenance(String sourceTopic, int partition, long offset, Instant sourceModifiedAt, String replayOf) {
    }
}
