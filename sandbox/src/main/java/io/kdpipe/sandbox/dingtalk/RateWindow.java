package io.kdpipe.sandbox.dingtalk;

import java.util.ArrayDeque;
import java.util.Deque;

/** Calls admitted in the last second, per API: a sliding window, stricter than any fixed one. */
final class RateWindow {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int limit;
    private final Deque<Long> admitted = new ArrayDeque<>();

    RateWindow(int limit) {
        this.limit = limit;
    }

    /** True when the call fits under the limit (and is counted); false when it is over. */
    synchronized boolean tryAdmit(long nowNanos) {
        while (!admitted.isEmpty() && nowNanos - admitted.peekFirst() >= WINDOW_NANOS) {
            admitted.pollFirst();
        }
        if (admitted.size() >= limit) {
            return false;
        }
        admitted.addLast(nowNanos);
        return true;
    }
}
