package io.kdpipe.common.contract;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * The ledger entry for one notice, on {@code dingtalk.deliveries.v1} keyed by notice id. It is
 * committed in the same transaction as the notifier's consumer offset, so a restart skips every
 * notice the ledger holds. The calls it records make the monthly DingTalk budget survive restarts.
 * A later entry for the same notice (a {@code getsendresult} finding) replaces the earlier one.
 *
 * <p>What the entry says about the people, in {@link #delivery()}:
 * <ul>
 *   <li>{@link Delivery#ACCEPTED}: DingTalk answered {@code errcode 0}. DingTalk accepts unknown and
 *       departed userids, users over their daily cap and same-day repeats this way and delivers to
 *       nobody, so an accepted notice is not known to be delivered.</li>
 *   <li>{@link Delivery#DELIVERED}: {@code getsendresult} listed every recipient as read or unread.</li>
 *   <li>{@link Delivery#NOT_DELIVERED}: it did not reach its recipients, for {@link #reason()}.</li>
 * </ul>
 *
 * @param noticeId          the notice delivered
 * @param status            the outcome: sent to DingTalk, or dead-lettered
 * @param taskIds           DingTalk task ids, one per call (a call carries up to 100 userids)
 * @param userIds           the userids the notice went to
 * @param attempts          send attempts, retries included
 * @param calls             DingTalk calls that count toward the monthly quota, result checks included
 * @param firstAttemptAt    when the first attempt was made
 * @param completedAt       when DingTalk accepted it, was last asked about it, or when it was dead-lettered
 * @param sourceModifiedAt  the {@code FModifyDate} behind the notice, for end-to-end freshness
 * @param verification      the {@code getsendresult} findings, when checked; otherwise null
 * @param delivery          accepted, delivered or not delivered; absent in older entries, read as
 *                          {@link Delivery#ACCEPTED} for a sent notice and {@link Delivery#NOT_DELIVERED} otherwise
 * @param reason            why it was not delivered ({@link #INVALID_USER}, {@link #DEPARTED}, {@link #DAILY_CAP},
 *                          {@link #FORBIDDEN}, {@link #FAILED}, or the dead-letter reason); null otherwise
 * @param noticeOffset      the notice's offset in {@code dingtalk.notices.v1} (same partition number as this
 *                          entry), so a later check can dead-letter the original; null in older entries
 * @param checkDueAt        when {@code getsendresult} is to be asked about the tasks; null when no check is planned
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
        Verification verification,
        Delivery delivery,
        String reason,
        Long noticeOffset,
        Instant checkDueAt) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<DeliveryRecord> CODEC = new Codec<>(DeliveryRecord.class, VERSION);

    /** A userid DingTalk does not know. */
    public static final String INVALID_USER = "INVALID_USER";
    /** A userid of someone who has left the organisation. */
    public static final String DEPARTED = "DEPARTED";
    /** The recipient already had 500 messages from the app today ({@code 143105}). */
    public static final String DAILY_CAP = "DAILY_CAP";
    /** DingTalk held the message back for another limit (e.g. per-minute, {@code 143103}/{@code 143104}). */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** DingTalk reported the delivery as failed. */
    public static final String FAILED = "FAILED";

    /**
     * Key prefix of the quota marker: an entry keyed {@code quota:YYYY-MM} (in the quota zone) says
     * DingTalk answered {@code 90020} that month; a tombstone under the key says the quota is back.
     */
    public static final String QUOTA_MARKER_PREFIX = "quota:";

    public enum Status { SENT, DEAD_LETTERED }

    /** What is known about the notice reaching people. */
    public enum Delivery { ACCEPTED, DELIVERED, NOT_DELIVERED }

    public DeliveryRecord {
        Require.text(noticeId, "noticeId");
        Require.present(status, "status");
        taskIds = Require.list(taskIds);
        userIds = Require.list(userIds);
        Require.present(completedAt, "completedAt");
        if (delivery == null) {
            delivery = status == Status.SENT ? Delivery.ACCEPTED : Delivery.NOT_DELIVERED;
        }
    }

    /** An entry without delivery findings: accepted when sent, not delivered when dead-lettered. */
    public DeliveryRecord(int schemaVersion, String noticeId, Status status, List<Long> taskIds, List<String> userIds,
                          int attempts, int calls, Instant firstAttemptAt, Instant completedAt, Instant sourceModifiedAt,
                          Verification verification) {
        this(schemaVersion, noticeId, status, taskIds, userIds, attempts, calls, firstAttemptAt, completedAt,
                sourceModifiedAt, verification, null, null, null, null);
    }

    /** True when the notice is done with: accepted or delivered. A not-delivered one may be sent again after a redrive. */
    public boolean holdsBackResend() {
        return status == Status.SENT && delivery != Delivery.NOT_DELIVERED;
    }

    /** This entry after {@code getsendresult}: {@code extraCalls} more counted calls, and what it found. */
    public DeliveryRecord checked(Delivery found, String why, Verification v, int extraCalls, Instant at, Instant nextCheck) {
        return new DeliveryRecord(schemaVersion, noticeId, status, taskIds, userIds, attempts, calls + extraCalls,
                firstAttemptAt, at, sourceModifiedAt, v, found, why, noticeOffset, nextCheck);
    }

    /** The marker written when DingTalk answered {@code 90020} in {@code month}. */
    public static DeliveryRecord quotaRefused(YearMonth month, Instant at) {
        return new DeliveryRecord(VERSION, quotaMarkerKey(month), Status.DEAD_LETTERED, List.of(), List.of(), 0, 0, at, at,
                null, null, Delivery.NOT_DELIVERED, "MONTHLY_QUOTA", null, null);
    }

    public static String quotaMarkerKey(YearMonth month) {
        return QUOTA_MARKER_PREFIX + month;
    }

    /** True for a quota marker rather than a notice's entry. */
    public boolean quotaMarker() {
        return noticeId.startsWith(QUOTA_MARKER_PREFIX);
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
