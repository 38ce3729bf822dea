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
 * this process made that the ledger does not show yet. Only the current month's entries are held, so
 * the count is bounded by the month's quota whatever the ledger's history.
 *
 * <p>DingTalk has the last word: after a {@code 90020} answer the month is used up whatever the
 * count says ({@link #remaining()} is 0), until the month turns in the quota zone or a probe call
 * succeeds ({@link #quotaBack()}).
 */
public final class MonthlyBudget {

    private record Entry(int calls, int verifyCalls) {
    }

    private final int limit;
    private final ZoneId zone;
    private final Clock clock;
    // guarded by this; entries of the month in `month` only
    private final Map<String, Entry> ledger = new HashMap<>();
    private final Map<String, Entry> pending = new HashMap<>();
    private YearMonth month;
    private int ledgerCalls;
    private int ledgerVerifyCalls;
    private int pendingCalls;
    private int pendingVerifyCalls;
    private YearMonth refusedIn;
    private Instant refusedAt;

    public MonthlyBudget(int limit, ZoneId zone, Clock clock) {
        this.limit = limit;
        this.zone = zone;
        this.clock = clock;
    }

    /** A ledger entry: {@code calls} made for {@code noticeId}, completed at {@code at}. */
    public void fromLedger(String noticeId, Instant at, int calls) {
        fromLedger(noticeId, at, calls, 0);
    }

    /**
     * A ledger entry: {@code calls} made for {@code noticeId} in all, {@code verifyCalls} of them
     * {@code getsendresult} checks, the last at {@code at}. It replaces any earlier entry of the notice.
     */
    public synchronized void fromLedger(String noticeId, Instant at, int calls, int verifyCalls) {
        roll();
        Entry p = pending.remove(noticeId);
        if (p != null) {
            pendingCalls -= p.calls();
            pendingVerifyCalls -= p.verifyCalls();
        }
        Entry old = ledger.remove(noticeId);
        if (old != null) {
            ledgerCalls -= old.calls();
            ledgerVerifyCalls -= old.verifyCalls();
        }
        if (!YearMonth.from(at.atZone(zone)).equals(month)) {
            return;
        }
        ledger.put(noticeId, new Entry(calls, verifyCalls));
        ledgerCalls += calls;
        ledgerVerifyCalls += verifyCalls;
    }

    /** Calls this process just made for {@code noticeId}, before its ledger entry is written. */
    public void spend(String noticeId, int calls) {
        spend(noticeId, calls, false);
    }

    /** Like {@link #spend(String, int)}; {@code verification} for {@code getsendresult} calls. */
    public synchronized void spend(String noticeId, int calls, boolean verification) {
        if (calls <= 0) {
            return;
        }
        roll();
        int v = verification ? calls : 0;
        pending.merge(noticeId, new Entry(calls, v), (a, b) -> new Entry(a.calls() + b.calls(), a.verifyCalls() + b.verifyCalls()));
        pendingCalls += calls;
        pendingVerifyCalls += v;
    }

    /** DingTalk answered {@code 90020}: nothing more this month, unless a probe shows otherwise. */
    public synchronized void refusedByDingTalk() {
        roll();
        if (!month.equals(refusedIn)) {
            refusedAt = clock.instant();
        }
        refusedIn = month;
    }

    /** DingTalk's refusal seen in the ledger (another replica, or before a restart). */
    public synchronized void refusedByDingTalk(Instant at) {
        roll();
        YearMonth m = YearMonth.from(at.atZone(zone));
        if (m.equals(month) && !m.equals(refusedIn)) {
            refusedIn = m;
            refusedAt = at;
        }
    }

    /** A call succeeded after a {@code 90020}: DingTalk's quota is back (raised, or a new month). */
    public synchronized void quotaBack() {
        refusedIn = null;
        refusedAt = null;
    }

    /** True while DingTalk's last word this month is {@code 90020}. */
    public synchronized boolean refused() {
        roll();
        return month.equals(refusedIn);
    }

    /** When DingTalk refused this month, or null. */
    public synchronized Instant refusedAt() {
        return refused() ? refusedAt : null;
    }

    /** Calls counted this month: the ledger's and this process's not yet in the ledger. */
    public synchronized int used() {
        roll();
        return ledgerCalls + pendingCalls;
    }

    /** {@code getsendresult} calls counted this month. */
    public synchronized int verifyUsed() {
        roll();
        return ledgerVerifyCalls + pendingVerifyCalls;
    }

    public int limit() {
        return limit;
    }

    /** Calls left this month: 0 once DingTalk has said the quota is used up. */
    public synchronized int remaining() {
        return refused() ? 0 : Math.max(0, limit - used());
    }

    public synchronized boolean exhausted() {
        return refused() || used() >= limit;
    }

    /** When the budget starts over. */
    public synchronized Instant resetsAt() {
        roll();
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** How far the month has gone, from 0 at its first instant to 1 at its last, in the quota zone. */
    public synchronized double monthElapsed() {
        roll();
        Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        return Math.min(1.0, Math.max(0.0, (double) (clock.millis() - start.toEpochMilli()) / (end.toEpochMilli() - start.toEpochMilli())));
    }

    /** Entries held: at most this month's notices. */
    public synchronized int size() {
        return ledger.size() + pending.size();
    }

    private void roll() {
        YearMonth now = YearMonth.from(clock.instant().atZone(zone));
        if (!now.equals(month)) {
            month = now;
            ledger.clear();
            pending.clear();
            ledgerCalls = 0;
            ledgerVerifyCalls = 0;
            pendingCalls = 0;
            pendingVerifyCalls = 0;
        }
    }
}
