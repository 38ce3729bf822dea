package io.kdpipe.notifier.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class MonthlyBudgetTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-15T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldCountThisMonthsLedgerCallsAndPendingOnesOnce() {
        MonthlyBudget budget = new MonthlyBudget(10, SHANGHAI, clock);
        budget.fromLedger("n1", Instant.parse("2026-11-02T00:00:00Z"), 3);
        budget.fromLedger("old", Instant.parse("2026-10-31T15:59:59Z"), 5); // still October in Shanghai
        budget.fromLedger("new", Instant.parse("2026-10-31T16:00:00Z"), 1); // November 1st 00:00 in Shanghai
        budget.spend("n2", 2);
        assertThat(budget.used()).isEqualTo(6);
        budget.fromLedger("n2", Instant.parse("2026-11-15T04:00:00Z"), 2);
        assertThat(budget.used()).as("a pending call is not counted again once the ledger shows it").isEqualTo(6);
        assertThat(budget.remaining()).isEqualTo(4);
        assertThat(budget.exhausted()).isFalse();
        budget.spend("n3", 4);
        assertThat(budget.exhausted()).isTrue();
        assertThat(budget.resetsAt()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
    }

    @Test
    void shouldStopForTheMonthWhenDingTalkRefuses() {
        MonthlyBudget budget = new MonthlyBudget(5000, SHANGHAI, clock);
        budget.fromLedger("n1", Instant.parse("2026-11-02T00:00:00Z"), 163);
        budget.refusedByDingTalk();
        assertThat(budget.exhausted()).isTrue();
        assertThat(budget.remaining()).as("DingTalk's word, not the count").isZero();
        assertThat(budget.used()).isEqualTo(163);
        budget.quotaBack();
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.remaining()).isEqualTo(4837);
    }

    @Test
    void shouldStartOverAtTheMonthsTurnInTheQuotaZoneAndForgetLastMonth() {
        AtomicReference<Instant> now = new AtomicReference<>(
                Instant.parse("2026-11-30T15:59:00Z"));
        Clock moving = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId z) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        MonthlyBudget budget = new MonthlyBudget(100, SHANGHAI, moving);
        budget.fromLedger("n1", Instant.parse("2026-11-30T15:00:00Z"), 40, 10);
        budget.refusedByDingTalk();
        assertThat(budget.remaining()).isZero();
        assertThat(budget.verifyUsed()).isEqualTo(10);
        now.set(Instant.parse("2026-11-30T16:00:01Z")); // December 1st in Shanghai
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.remaining()).isEqualTo(100);
        assertThat(budget.size()).as("last month's entries are dropped").isZero();
        budget.fromLedger("old", Instant.parse("2026-11-29T00:00:00Z"), 5);
        assertThat(budget.used()).isZero();
        assertThat(budget.size()).isZero();
    }
}
