package io.kdpipe.notifier.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.kdpipe.notifier.dingtalk.DingTalkEvents;
import io.kdpipe.notifier.dingtalk.Pause;
import io.kdpipe.notifier.dingtalk.Verdict;
import io.kdpipe.notifier.rate.MonthlyBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The notifier's business metrics, all named {@code kdpipe_notifier_*} in Prometheus. Tags hold
 * DingTalk codes and short reasons, never a userid, token or message text.
 *
 * <p>The token-fetch outcomes and the global-pause reasons are registered at zero from the start, so
 * the first failure is an increase Prometheus can see. {@code kdpipe_notifier_global_pause_remaining_seconds}
 * is how long every send stays paused (0 while sending).
 */
public final class NotifierMetrics implements DingTalkEvents {

    private final MeterRegistry registry;
    private final Timer limiterWait;
    private final Timer freshness;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);
    private final Clock clock = Clock.systemUTC();

    public NotifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : new String[] {"ok", "failed"}) {
            tokenRefreshes(outcome);
        }
        for (Pause pause : Pause.values()) {
            // the monthly quota pauses through the budget (its own gauges), not as a global pause
            if (pause != Pause.NONE && pause != Pause.MONTHLY_QUOTA) {
                globalPauses(pause.name());
            }
        }
        partitionsLost();
        Gauge.builder("kdpipe.notifier.global.pause.remaining.seconds", this, NotifierMetrics::pauseRemainingSeconds)
                .description("Seconds every send stays paused after a rate, ban or credentials answer; 0 while sending")
                .register(registry);
        this.limiterWait = Timer.builder("kdpipe.notifier.limiter.wait")
                .description("Time a DingTalk call waited for its rate-limiter permit")
                .register(registry);
        this.freshness = Timer.builder("kdpipe.notifier.freshness")
                .description("From the Kingdee row's FModifyDate to DingTalk accepting the notice")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
    }

    /** The monthly budget as gauges: used, remaining and the limit. */
    public void bindBudget(MonthlyBudget budget) {
        Gauge.builder("kdpipe.notifier.budget.used", budget, MonthlyBudget::used)
                .description("DingTalk calls counted toward this month's quota").register(registry);
        Gauge.builder("kdpipe.notifier.budget.remaining", budget, MonthlyBudget::remaining)
                .description("DingTalk calls left in this month's budget").register(registry);
        Gauge.builder("kdpipe.notifier.budget.limit", budget, MonthlyBudget::limit)
                .description("The monthly DingTalk call budget").register(registry);
        Gauge.builder("kdpipe.notifier.budget.refused", budget, b -> b.refused() ? 1 : 0)
                .description("1 while DingTalk says this month's quota is used up (errcode 90020)").register(registry);
        Gauge.builder("kdpipe.notifier.budget.verify.used", budget, MonthlyBudget::verifyUsed)
                .description("getsendresult calls counted toward this month's quota").register(registry);
    }

    /** Planned result checks and remembered sent notices: both bounded. */
    public void bindQueues(IntSupplier plannedChecks, IntSupplier ledgerIds) {
        Gauge.builder("kdpipe.notifier.checks.planned", plannedChecks, s -> s.getAsInt())
                .description("getsendresult checks planned and not yet done").register(registry);
        Gauge.builder("kdpipe.notifier.ledger.remembered", ledgerIds, s -> s.getAsInt())
                .description("Sent notice ids held to skip a notice read again").register(registry);
    }

    /** What a getsendresult check concluded: delivered, or not delivered with the reason. */
    public void delivery(String state, String reason) {
        Counter.builder("kdpipe.notifier.deliveries").description("Notices whose delivery getsendresult confirmed or refuted")
                .tag("state", state).tag("reason", reason).register(registry).increment();
    }

    /** Free contacts-API lookups made. */
    public void contactsChecks(int lookups) {
        if (lookups > 0) {
            Counter.builder("kdpipe.notifier.contacts.checks").description("Userids checked with the free contacts API")
                    .register(registry).increment(lookups);
        }
    }

    /** A recipient left out because the contacts API does not find them. */
    public void recipientDropped(String status) {
        Counter.builder("kdpipe.notifier.recipients.dropped").description("Userids left out of a send: departed or unknown")
                .tag("status", status).register(registry).increment();
    }

    @Override
    public void tokenRefreshed(boolean ok) {
        tokenRefreshes(ok ? "ok" : "failed").increment();
    }

    private Counter tokenRefreshes(String outcome) {
        return Counter.builder("kdpipe.notifier.token.refreshes").description("Access-token fetches")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public void call(String api, Verdict verdict, Duration latency) {
        String outcome = verdict.ok() ? "accepted" : verdict.errorClass().name().toLowerCase(Locale.ROOT);
        Counter.builder("kdpipe.notifier.sends").description("DingTalk message calls by outcome and code")
                .tag("api", api).tag("outcome", outcome)
                .tag("errcode", verdict.errcodeText()).tag("sub_code", verdict.subCodeText())
                .register(registry).increment();
        Timer.builder("kdpipe.notifier.send.latency").description("DingTalk message call latency")
                .tag("api", api).register(registry).record(latency);
    }

    public void limiterWaited(Duration wait) {
        limiterWait.record(wait);
    }

    public void retry(String reason) {
        Counter.builder("kdpipe.notifier.retries").description("Notices scheduled for another attempt")
                .tag("reason", reason).register(registry).increment();
    }

    public void deadLetter(String reason) {
        Counter.builder("kdpipe.notifier.dead.letters").description("Notices written to the dead-letter topic")
                .tag("reason", reason).register(registry).increment();
    }

    public void notice(String outcome) {
        Counter.builder("kdpipe.notifier.notices").description("Notices handled, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** Every send pauses until {@code until} because of {@code reason} (a {@link Pause} name). */
    public void globalPause(String reason, Instant until) {
        globalPauses(reason).increment();
        pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private Counter globalPauses(String reason) {
        return Counter.builder("kdpipe.notifier.global.pauses").description("Pauses of every send after a rate or ban answer")
                .tag("reason", reason).register(registry);
    }

    private double pauseRemainingSeconds() {
        Duration left = Duration.between(clock.instant(), pausedUntil.get());
        return left.isNegative() ? 0 : left.toMillis() / 1000.0;
    }

    public void verifiedUsers(String result, int count) {
        if (count > 0) {
            Counter.builder("kdpipe.notifier.verified.users").description("Users getsendresult reported as not reached")
                    .tag("result", result).register(registry).increment(count);
        }
    }

    public void freshness(Duration endToEnd) {
        if (!endToEnd.isNegative()) {
            freshness.record(endToEnd);
        }
    }

    public void transactionFailed() {
        Counter.builder("kdpipe.notifier.transaction.failures").description("Ledger transactions aborted")
                .register(registry).increment();
    }

    /**
     * Notice partitions taken away without a revoke ({@code onPartitionsLost}: a missed session, a
     * fenced member): their notices sent and not yet committed go again from their next owner.
     */
    public void partitionsLost(int partitions) {
        partitionsLost().increment(partitions);
    }

    private Counter partitionsLost() {
        return Counter.builder("kdpipe.notifier.partitions.lost")
                .description("Notice partitions lost without a revoke; their uncommitted sends are made again").register(registry);
    }
}
