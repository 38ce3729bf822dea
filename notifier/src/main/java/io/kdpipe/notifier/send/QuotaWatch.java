package io.kdpipe.notifier.send;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.notifier.rate.MonthlyBudget;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DingTalk's word on the monthly quota. A {@code 90020} answer puts a marker in the ledger (every
 * replica, {@code kdpipe status} and a restarted replica see it) and stops sending; every
 * {@code probeInterval} one notice is let through as a probe, and when DingTalk accepts it the marker
 * is removed and sending resumes. At the month's turn in the quota zone the marker no longer applies.
 */
final class QuotaWatch {

    private static final Logger log = LoggerFactory.getLogger(QuotaWatch.class);

    private final MonthlyBudget budget;
    private final Clock clock;
    private final SendSettings settings;
    private Instant nextProbeAt = Instant.MIN;

    /** Probes every {@code settings.quotaProbeInterval()}, marks in {@code settings.deliveriesTopic()}, turns months in {@code settings.quotaZone()}. */
    QuotaWatch(MonthlyBudget budget, Clock clock, SendSettings settings) {
        this.budget = budget;
        this.clock = clock;
        this.settings = settings;
    }

    /** True when DingTalk refused and a probe call may go now. */
    boolean probeDue() {
        return budget.refused() && !clock.instant().isBefore(nextProbeAt());
    }

    /** When the next probe may go. */
    Instant nextProbeAt() {
        if (nextProbeAt == Instant.MIN && budget.refusedAt() != null) {
            nextProbeAt = budget.refusedAt().plus(settings.quotaProbeInterval());
        }
        return nextProbeAt;
    }

    /** DingTalk answered {@code 90020}. */
    void refused(LedgerTransaction tx) {
        boolean first = !budget.refused();
        budget.refusedByDingTalk();
        Instant now = clock.instant();
        nextProbeAt = now.plus(settings.quotaProbeInterval());
        if (first) {
            DeliveryRecord marker = DeliveryRecord.quotaRefused(month(), now);
            tx.record(new ProducerRecord<>(settings.deliveriesTopic(), 0, marker.noticeId().getBytes(StandardCharsets.UTF_8),
                    DeliveryRecord.CODEC.encode(marker)));
            log.warn("DingTalk says the monthly quota is used up (90020); sending stops, a probe goes every {}", settings.quotaProbeInterval());
        }
    }

    /** DingTalk accepted a call: if it had refused this month, the quota is back. */
    void accepted(LedgerTransaction tx) {
        if (budget.refused()) {
            budget.quotaBack();
            nextProbeAt = Instant.MIN;
            tx.removeQuotaMarker(DeliveryRecord.quotaMarkerKey(month()));
            log.info("DingTalk accepted a call again after 90020: the quota is back, sending resumes");
        }
    }

    private YearMonth month() {
        return YearMonth.from(clock.instant().atZone(settings.quotaZone()));
    }
}
