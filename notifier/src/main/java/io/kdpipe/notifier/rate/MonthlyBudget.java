package io.kdpipe.notifier.rate;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The DingTalk calls this app may still make this month. Calls are counted from the delivery ledger
 * (every replica's records, so a restart or another replica does not reset the count), plus the calls
 * this process made that the ledger does not show yet. A {@code 90020} answer marks the month used up
 * whatever the count says.
 */
public final class MonthlyBudget {

    private record Entry(YearMonth month, int calls) {
    }

    private final int limit;
    private final ZoneId zone;
    private final Clock clock;
    private final Map<String, Entry> ledger = new HashMap<>();
    private final Map<String, Entry> pending = new HashMap<>();
    private YearMonth refusedIn;

    public MonthlyBudget(int limit, ZoneId zone, Clock clock) {
        this.limit = limit;
        this.zone = zone;
        this.clock = clock;
    }

    /** A ledger entry: {@code calls} made for {@code noticeId}, completed at {@code at}. */
    public synchronized void fromLedger(String noticeId, Instant at, int calls) {
        ledger.put(noticeId, new Entry(YearMonth.from(at.atZone(zone)), calls));
        pending.remove(noticeId);
    }

    /** Calls this process just made for {@code noticeId}, before its ledger entry is written. */
    public synchronized void spend(String noticeId, int calls) {
        if (calls <= 0) {
            return;
        }
        YearMonth now = month();
        pending.merge(noticeId, new Entry(now, calls), (a, b) -> new Entry(now, a.calls() + b.calls()));
    }

    /** DingTalk answered {@code 90020}: nothing more this month. */
    public synchronized void refusedByDingTalk() {
        refusedIn = month();
    }

    public synchronized int used() {
        YearMonth now = month();
        int sum = 0;
        for (Entry e : ledger.values()) {
            if (e.month().equals(now)) {
                sum += e.calls();
            }
        }
        for (var e : pending.entrySet()) {
            if (e.getValue().month().equals(now) && !ledger.containsKey(e.getKey())) {
                sum += e.getValue().calls();
            }
        }
        return sum;
    }

    public int limit() {
        return limit;
    }

    public synchronized int remaining() {
        return Math.max(0, limit - used());
    }

    public synchronized boolean exhausted() {
        return month().equals(refusedIn) || used() >= limit;
    }

    /** When the budget starts over. */
    public Instant resetsAt() {
        return month().plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    private YearMonth month() {
        return YearMonth.from(clock.instant().atZone(zone));
    }
}
