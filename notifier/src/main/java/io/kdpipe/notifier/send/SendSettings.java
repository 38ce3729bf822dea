package io.kdpipe.notifier.send;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

import io.kdpipe.common.contract.Notice;

/**
 * How the send loop behaves: the notifier's configuration as the loop reads it ({@code NotifierConfig.send()}),
 * with the setting each value comes from.
 *
 * @param noticesTopic          where notices come from
 * @param deliveriesTopic       the ledger, co-partitioned with the notices
 * @param deadLetterTopic       where undeliverable notices go
 * @param directoryTopic        the DingTalk directory, read as a table and updated with what the free checks find
 * @param deadline              {@code NOTIFIER_RETRY_DEADLINE}: how long a notice is retried after its first failure before it is
 *                              dead-lettered
 * @param initialBackoff        {@code NOTIFIER_RETRY_INITIAL_BACKOFF}: the first retry delay; it doubles per attempt, with jitter
 * @param maxBackoff            {@code NOTIFIER_RETRY_MAX_BACKOFF}: the longest retry delay
 * @param ipBanPause            {@code NOTIFIER_IP_BAN_PAUSE}: how long every send pauses after an IP-ban answer (DingTalk bans
 *                              for 5 minutes)
 * @param temporaryBanPause     {@code NOTIFIER_TEMPORARY_BAN_PAUSE}: how long every send pauses after {@code 90003}–{@code 90006}
 * @param deadLetterOverBudget  {@code NOTIFIER_DEAD_LETTER_OVER_BUDGET}: when the monthly budget is used up: dead-letter instead
 *                              of waiting for next month
 * @param commitBatch           {@code NOTIFIER_COMMIT_BATCH}: notices per ledger transaction: 1 re-sends at most one notice after
 *                              a crash
 * @param verifySampleRate      {@code NOTIFIER_VERIFY_SAMPLE_RATE}: fraction of deliveries checked with {@code getsendresult}
 *                              (each check is a counted call)
 * @param verifyKinds           {@code NOTIFIER_VERIFY_KINDS}: notice kinds always checked
 * @param pollTimeout           how long a poll waits when nothing is ready to send
 * @param verifyBudgetShare     {@code NOTIFIER_VERIFY_BUDGET_SHARE}: share of the monthly budget that {@code getsendresult}
 *                              checks may use, spread over the month
 * @param verifyDelay           {@code NOTIFIER_VERIFY_DELAY}: how long after a send its result is first asked for
 * @param checkUsers            {@code NOTIFIER_CHECK_USERS}: whether userids are checked with the (free) contacts API before a
 *                              send
 * @param userCheckHorizon      {@code NOTIFIER_USER_CHECK_HORIZON}: how long a userid found to be a member is trusted
 * @param userRecheckAfter      {@code NOTIFIER_USER_RECHECK_AFTER}: how long a userid found unknown or departed is trusted before
 *                              asking again
 * @param userSweepInterval     {@code NOTIFIER_USER_SWEEP_INTERVAL}: how often a few directory userids are checked ahead of any
 *                              send; zero: never
 * @param ledgerHorizon         {@code NOTIFIER_LEDGER_HORIZON}: how long a sent notice is remembered; longer than the notices
 *                              topic's retention
 * @param quotaZone             {@code DINGTALK_QUOTA_ZONE}: the zone of DingTalk's months
 * @param quotaProbeInterval    {@code NOTIFIER_QUOTA_PROBE_INTERVAL}: after a {@code 90020}, how often one notice is let through
 *                              to see whether the quota is back
 */
public record SendSettings(
        String noticesTopic,
        String deliveriesTopic,
        String deadLetterTopic,
        String directoryTopic,
        Duration deadline,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration ipBanPause,
        Duration temporaryBanPause,
        boolean deadLetterOverBudget,
        int commitBatch,
        double verifySampleRate,
        Set<Notice.Kind> verifyKinds,
        Duration pollTimeout,
        double verifyBudgetShare,
        Duration verifyDelay,
        boolean checkUsers,
        Duration userCheckHorizon,
        Duration userRecheckAfter,
        Duration userSweepInterval,
        Duration ledgerHorizon,
        ZoneId quotaZone,
        Duration quotaProbeInterval) {

    public SendSettings {
        verifyKinds = Set.copyOf(verifyKinds);
        if (commitBatch < 1) {
            throw new IllegalArgumentException("commitBatch must be at least 1");
        }
    }
}
