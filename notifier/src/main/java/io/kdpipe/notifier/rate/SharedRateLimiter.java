package io.kdpipe.notifier.rate;

import java.time.Duration;
import java.util.function.Consumer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.kdpipe.notifier.dingtalk.Throttle;

/**
 * Paces this replica's DingTalk calls so that all replicas together stay under the app's rate: each
 * takes the share of the notice partitions it owns. Calls are spaced evenly (one permit per period,
 * resilience4j's {@link RateLimiter}), never let through in bursts, and only {@code headroom} of the
 * allowed rate is used, because DingTalk does not publish the shape of its window.
 */
public final class SharedRateLimiter implements Throttle {

    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final double callsPerSecond;
    private final double headroom;
    private final int totalPartitions;
    private final Consumer<Duration> onWait;
    private volatile RateLimiter limiter;
    private volatile double currentRate;

    /**
     * @param callsPerSecond   the app's limit across every replica (DingTalk: 20)
     * @param headroom         the fraction of it to use, in (0, 1]
     * @param totalPartitions  partitions of the notice topic
     * @param onWait           told how long each call waited for its permit
     */
    public SharedRateLimiter(double callsPerSecond, double headroom, int totalPartitions, Consumer<Duration> onWait) {
        this.callsPerSecond = callsPerSecond;
        this.headroom = headroom;
        this.totalPartitions = totalPartitions;
        this.onWait = onWait;
        share(totalPartitions);
    }

    /** Takes the share of {@code ownedPartitions} of {@code totalPartitions}; at least one partition's worth. */
    public synchronized void share(int ownedPartitions) {
        int owned = Math.max(1, Math.min(ownedPartitions, totalPartitions));
        double rate = callsPerSecond * headroom * owned / totalPartitions;
        if (rate == currentRate) {
            return;
        }
        long periodNanos = Math.max(1, (long) (1_000_000_000L / rate));
        limiter = RateLimiter.of("dingtalk", RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(MAX_WAIT)
                .build());
        currentRate = rate;
    }

    /** Calls per second this replica may make now. */
    public double currentRate() {
        return currentRate;
    }

    @Override
    public void acquire() {
        long start = System.nanoTime();
        if (!limiter.acquirePermission()) {
            throw new IllegalStateException("no DingTalk rate permit within " + MAX_WAIT);
        }
        onWait.accept(Duration.ofNanos(System.nanoTime() - start));
    }
}
