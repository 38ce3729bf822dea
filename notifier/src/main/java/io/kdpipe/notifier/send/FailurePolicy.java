package io.kdpipe.notifier.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import io.kdpipe.common.deadletter.DeadLetterClass;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.runtime.ExponentialBackoff;
import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.notifier.dingtalk.ErrorClass;
import io.kdpipe.notifier.dingtalk.Pause;
import io.kdpipe.notifier.dingtalk.Verdict;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed send leads to: another attempt after a backoff with jitter (until the deadline after
 * the first failure), a dead letter, or a pause of every send (rate answers, bans). Dead letters carry
 * the original key, value and headers plus Connect-style context.
 */
final class FailurePolicy {

    private static final Logger log = LoggerFactory.getLogger(FailurePolicy.class);
    private static final Duration APP_RATE_PAUSE = Duration.ofSeconds(1);

    /** What to do with a notice after a failed call. */
    enum Decision { RETRY_LATER, DEAD_LETTER, RETRY_DEADLINE, QUOTA }

    private final SendSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final ExponentialBackoff backoff;
    private final NotifierMetrics metrics;
    private final HealthState dingTalkHealth;
    private Instant globalPauseUntil = Instant.MIN;
    private int globalPauses;

    FailurePolicy(SendSettings settings, Clock clock, RandomGenerator random, NotifierMetrics metrics, HealthState dingTalkHealth) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
        this.dingTalkHealth = dingTalkHealth;
        this.backoff = ExponentialBackoff.of(settings.initialBackoff(), settings.maxBackoff()).withEqualJitter(random);
    }

    /** Decides about {@code f} after the failure {@code v}; for a retry, sets when. */
    Decision failed(InFlight f, Verdict v, String noticeId) {
        Instant now = clock.instant();
        f.lastFailure = v;
        if (f.firstFailureAt == null) {
            f.firstFailureAt = now;
        }
        pauseAll(v.pause(), now);
        if (v.pause() == Pause.MONTHLY_QUOTA) {
            f.attempts--; // not the notice's fault
            return Decision.QUOTA;
        }
        if (v.errorClass() == ErrorClass.PERMANENT) {
            return Decision.DEAD_LETTER;
        }
        Instant deadline = f.firstFailureAt.plus(settings.deadline());
        if (!now.isBefore(deadline)) {
            return Decision.RETRY_DEADLINE;
        }
        Instant next = now.plus(backoff.delay(f.attempts));
        f.nextAttemptAt = next.isAfter(deadline) ? deadline : next;
        metrics.retry(v.reason());
        log.debug("Notice {} will be retried at {} after {} (attempt {})", noticeId, f.nextAttemptAt, v.reason(), f.attempts);
        return Decision.RETRY_LATER;
    }

    /** A call went through: rate pauses start over. */
    void succeeded() {
        globalPauses = 0;
    }

    boolean pausedNow() {
        return clock.instant().isBefore(globalPauseUntil);
    }

    Instant pausedUntil() {
        return globalPauseUntil;
    }

    private void pauseAll(Pause pause, Instant now) {
        Duration d = switch (pause) {
            case NONE, MONTHLY_QUOTA -> Duration.ZERO;
            case APP_RATE -> APP_RATE_PAUSE.plusMillis(random.nextLong(250));
            case GLOBAL_RATE -> backoff.delay(++globalPauses).plus(APP_RATE_PAUSE);
            case TEMPORARY_BAN -> settings.temporaryBanPause();
            case IP_BAN -> settings.ipBanPause();
            case CREDENTIALS_REFUSED -> settings.maxBackoff();
        };
        if (d.isZero()) {
            return;
        }
        Instant until = now.plus(d);
        if (until.isAfter(globalPauseUntil)) {
            globalPauseUntil = until;
        }
        metrics.globalPause(pause.name(), globalPauseUntil);
        if (pause != Pause.APP_RATE && pause != Pause.GLOBAL_RATE) {
            dingTalkHealth.down("DingTalk " + pause.name() + ": every send paused until " + globalPauseUntil);
        }
        log.warn("DingTalk answered {}: pausing every send for {} ms", pause, d.toMillis());
    }

    /** The dead letter of {@code r}: its key, value and headers plus the context headers. */
    ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> r, String reason, DeadLetterClass errorClass, Verdict v,
                                                    Long errcode, String exceptionClass, String message, int attempts,
                                                    Instant firstFailureAt) {
        DeadLetterHeaders h = DeadLetterHeaders.from(r.headers(), r.topic(), r.partition(), r.offset())
                .errorClass(errorClass)
                .stage("notifier.send")
                .reason(reason)
                .attempts(attempts, firstFailureAt == null ? clock.instant() : firstFailureAt);
        h.exception(exceptionClass != null ? exceptionClass : "io.kdpipe.notifier.dingtalk." + reason, message);
        if (v != null) {
            h.dingTalk(v.errcode(), v.subCode());
        } else if (errcode != null) {
            h.dingTalk(errcode, null);
        }
        log.warn("Notice at {}-{}@{} dead-lettered: {} ({})", r.topic(), r.partition(), r.offset(), reason, errorClass);
        return new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value(), h.build());
    }

    /** The dead letter of a notice a later check found not delivered. */
    ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> r, String reason, DeadLetterClass errorClass, Verdict v,
                                                    String message, int attempts, Instant firstAttemptAt) {
        return deadLetterRecord(r, reason, errorClass, v, null, null, message, attempts, firstAttemptAt);
    }
}
