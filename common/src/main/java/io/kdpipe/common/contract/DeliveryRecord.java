package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.List;

/**
 * The ledger entry for one notice, on {@code dingtalk.deliveries.v1} keyed by notice id. It is
 * committed in the same transaction as the notifier's consumer offset, so a restart skips every
 * notice the ledger holds. The calls it records make the monthly DingTalk budget survive restarts.
 *
 * @param noticeId          the notice delivered
 * @param status            the outcome
 * @param taskIds           DingTalk task ids, one per call (a call carries up to 100 userids)
 * @param userIds           the userids the notice went to
 * @param attempts          send attempts, retries included
 * @param calls             DingTalk calls that count toward the monthly quota
 * @param firstAttemptAt    when the first attempt was made
 * @param completedAt       when DingTalk accepted it, or when it was dead-lettered
 * @param sourceModifiedAt  the {@code FModifyDate} behind the notice, for end-to-end freshness
 * @param verification      the {@code getsendresult} findings, when checked; otherwise null
 */
public record DeliveryRecord(
        int schemaVersion,
        String noticeId,
        Status status,
        List<Long> taskIds,
        List<String> userIds,
        int attempts,
        int calls,
        Instant firstAttemptAt,
        Instant completedAt,
        Instant sourceModifiedAt,
        Verification verification) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<DeliveryRecord> CODEC = new Codec<>(DeliveryRecord.class, VERSION);

    public enum Status { SENT, DEAD_LETTERED }

    public DeliveryRecord {
        Require.text(noticeId, "noticeId");
        Require.present(status, "status");
        taskIds = Require.list(taskIds);
        userIds = Require.list(userIds);
        Require.present(completedAt, "completedAt");
    }

    /** What {@code getsendresult} reported for the task(s). */
    public record Verification(
            List<String> invalidUserIds,
            List<String> forbiddenUserIds,
            List<String> failedUserIds,
            Instant checkedAt) {
        public Verification {
            invalidUserIds = Require.list(invalidUserIds);
            forbiddenUserIds = Require.list(forbiddenUserIds);
            failedUserIds = Require.list(failedUserIds);
        }
    }
}
