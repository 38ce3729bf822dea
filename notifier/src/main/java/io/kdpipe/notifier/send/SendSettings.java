package io.kdpipe.notifier.send;

import java.time.Duration;
import java.util.Set;

import io.kdpipe.common.contract.Notice;

/**
 * How the send loop behaves.
 *
 * @param noticesTopic          where notices come from
 * @param deliveriesTopic       the ledger, co-partitioned with the notices
 * @param deadLetterTopic       where undeliverable notices go
 * @param deadline              how long a notice is retried after its first failure before it is dead-lettered
 * @param initialBackoff        the first retry delay; it doubles per attempt, with jitter
 * @param maxBackoff            the longest retry delay
 * @param ipBanPause            how long every send pauses after an IP-ban answer (DingTalk bans for 5 minutes)
 * @param temporaryBanPause     how long every send pauses after {@code 90003}–{@code 90006}
 * @param deadLetterOverBudget  when the monthly budget is used up: dead-letter instead of waiting for next month
 * @param commitBatch           notices per ledger transaction: 1 re-sends at most one notice after a crash
 * @param verifySampleRate      fraction of deliveries checked with {@code getsendresult} (each check is a counted call)
 * @param verifyKinds           notice kinds always checked
 * @param pollTimeout           how long a poll waits when nothing is ready to send
 */
public record SendSettings(
        String noticesTopic,
        String deliveriesTopic,
        String deadLetterTopic,
        Duration deadline,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration ipBanPause,
        Duration temporaryBanPause,
        boolean deadLetterOverBudget,
        int commitBatch,
        double verifySampleRate,
        Set<Notice.Kind> verifyKinds,
        Duration pollTimeout) {

    public SendSettings {
        verifyKinds = Set.copyOf(verifyKinds);
        if (commitBatch < 1) {
            throw new IllegalArgumentException("commitBatch must be at least 1");
        }
    }
}
