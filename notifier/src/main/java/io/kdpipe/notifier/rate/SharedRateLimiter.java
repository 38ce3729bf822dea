package io.kdpipe.notifier.rate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.kdpipe.notifier.dingtalk.Throttle;

/**
 * Keeps this replica's DingTalk calls within its share of the app's rate, for any shape of
 * DingTalk's one-second window.
 *
 * <p>The replica holds {@code N} permits: its share of the app's calls per second, rounded down, at
 * least one. A call takes a permit before it is sent and the permit becomes usable again only one
 * second after that call has <em>ended</em> (answer received, or failed). DingTalk sees a call
 * arrive between its send and its answer, so the arrivals of any two calls made with the same permit
 * are more than a second apart whatever the network's jitter, and no one-second window, sliding or
 * fixed, ever holds more than {@code N} of this replica's calls. No margin below the limit is needed;
 * the cost is the calls' latency (a backlog goes at {@code N / (1 s + latency)} calls per second).
 * A share below one call per second is one permit with a longer cool-down ({@code 1 / share}).
 *
 * <p>Starts are also spaced by at least {@code 1 / (2N)} s, so a backlog leaves smoothly instead of
 * as {@code N} back-to-back calls; in steady state this costs nothing, since permits come back
 * spaced as they were taken.
 *
 * <p>Replicas share the app's rate by notice partitions: each takes the share of the partitions it
 * owns (at least one partition's worth), so the shares add up to at most the app's rate. Every
 * {@link #share} call (each rebalance) makes the free permits wait a full second from then: the
 * replica that gave partitions away may have used its larger share in the second before, and only a
 * second later is that share free for the replica that took them.
 *
 * <p>Thread-safe.
 */
public final class SharedRateLimiter implements Throttle {

    /** Waits on the limiter's monitor, for at most the given nanoseconds (the caller holds the monitor). */
    @FunctionalInterface
    interface Waiter {
        void await(Object monitor, long nanos) throws InterruptedException;
    }

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Spacing between two call starts, as a fraction of {@code 1 / N} seconds. */
    static final double SPACING = 0.5;
    /** How long a caller waits without news when every permit is in flight, before looking again. */
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final double callsPerSecond;
    private final double fraction;
    private final int totalPartitions;
    private final Consumer<Duration> onWait;
    private final LongSupplier ticker;
    private final Waiter waiter;

    // guarded by this
    /** When each free permit may be used again, earliest first. */
    private final PriorityQueue<Long> freeAt = new PriorityQueue<>();
    private int permits;
    private long cooldownNanos = WINDOW_NANOS;
    private long spacingNanos;
    private long nextStartAt = Long.MIN_VALUE;
    private int inFlight;
    /** Permits to retire as they come back, after the share shrank while they were in flight. */
    private int surplus;
    private double currentRate;

    /**
     * @param callsPerSecond   the app's limit across every replica (DingTalk: 20)
     * @param fraction         the fraction of it this deployment uses, in (0, 1]
     * @param totalPartitions  partitions of the notice topic
     * @param onWait           told how long each call waited for its permit
     */
    public SharedRateLimiter(double callsPerSecond, double fraction, int totalPartitions, Consumer<Duration> onWait) {
        this(callsPerSecond, fraction, totalPartitions, onWait, System::nanoTime,
                (monitor, nanos) -> TimeUnit.NANOSECONDS.timedWait(monitor, nanos));
    }

    SharedRateLimiter(double callsPerSecond, double fraction, int totalPartitions, Consumer<Duration> onWait,
                      LongSupplier ticker, Waiter waiter) {
        if (!(callsPerSecond > 0) || !(fraction > 0 && fraction <= 1) || totalPartitions < 1) {
            throw new IllegalArgumentException("rate " + callsPerSecond + ", fraction " + fraction + ", partitions " + totalPartitions);
        }
        this.callsPerSecond = callsPerSecond;
        this.fraction = fraction;
        this.totalPartitions = totalPartitions;
        this.onWait = onWait;
        this.ticker = ticker;
        this.waiter = waiter;
        synchronized (this) {
            long now = ticker.getAsLong();
            resize(totalPartitions, now);
            // nothing is known about the past: the first calls may go at once
            freeAt.clear();
            for (int i = 0; i < permits; i++) {
                freeAt.add(now);
            }
        }
    }

    /**
     * Takes the share of {@code ownedPartitions} of the notice partitions (at least one partition's
     * worth), and makes every free permit wait a second from now.
     */
    public synchronized void share(int ownedPartitions) {
        long now = ticker.getAsLong();
        resize(Math.max(1, Math.min(ownedPartitions, totalPartitions)), now);
        long from = now + cooldownNanos;
        List<Long> free = new ArrayList<>(freeAt);
        freeAt.clear();
        free.forEach(t -> freeAt.add(Math.max(t, from)));
        notifyAll();
    }

    private void resize(int owned, long now) {
        double share = callsPerSecond * fraction * owned / totalPartitions;
        int n = Math.max(1, (int) Math.floor(share + 1e-9));
        cooldownNanos = share >= 1 ? WINDOW_NANOS : (long) Math.ceil(WINDOW_NANOS / share);
        spacingNanos = (long) (SPACING * cooldownNanos / n);
        currentRate = n * (double) WINDOW_NANOS / cooldownNanos;
        int held = freeAt.size() + inFlight - surplus;
        for (; held < n; held++) {
            if (surplus > 0) {
                surplus--;
            } else {
                freeAt.add(now + cooldownNanos);
            }
        }
        for (; held > n; held--) {
            if (freeAt.isEmpty()) {
                surplus++;
            } else {
                freeAt.poll();
            }
        }
        permits = n;
    }

    /** Calls per second this replica may make now. */
    public synchronized double currentRate() {
        return currentRate;
    }

    /** Calls this replica may have under way within one cool-down (one second unless its share is below one call per second). */
    public synchronized int permits() {
        return permits;
    }

    /** How long until a call could start (zero or less: now); {@link Long#MAX_VALUE} while every permit is in flight. */
    synchronized long nanosUntilFree() {
        Long head = freeAt.peek();
        return head == null ? Long.MAX_VALUE : Math.max(head, nextStartAt) - ticker.getAsLong();
    }

    @Override
    public Permit acquire() {
        long start = ticker.getAsLong();
        synchronized (this) {
            long wait;
            while ((wait = nanosUntilFree()) > 0) {
                if (ticker.getAsLong() - start >= MAX_WAIT.toNanos()) {
                    throw new IllegalStateException("no DingTalk rate permit within " + MAX_WAIT);
                }
                try {
                    waiter.await(this, wait == Long.MAX_VALUE ? IDLE_WAIT_NANOS : Math.min(wait, MAX_WAIT.toNanos()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a DingTalk rate permit", e);
                }
            }
            freeAt.poll();
            inFlight++;
            nextStartAt = ticker.getAsLong() + spacingNanos;
        }
        onWait.accept(Duration.ofNanos(ticker.getAsLong() - start));
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                release();
            }
        };
    }

    private synchronized void release() {
        inFlight--;
        if (surplus > 0) {
            surplus--;
            return;
        }
        freeAt.add(ticker.getAsLong() + cooldownNanos);
        notifyAll();
    }
}
