package io.kdpipe.common.runtime;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.github.resilience4j.core.IntervalFunction;

/**
 * The pause before a repeated attempt: doubling from {@code initial} up to {@code max}
 * (resilience4j's exponential {@link IntervalFunction}), optionally with "equal jitter" (half the
 * pause fixed, half random) so that many clients retrying at once spread out.
 */
public final class ExponentialBackoff {

    private final IntervalFunction exponential;
    private final RandomGenerator jitter;

    private ExponentialBackoff(IntervalFunction exponential, RandomGenerator jitter) {
        this.exponential = exponential;
        this.jitter = jitter;
    }

    /** Pauses of {@code initial}, twice that, four times that…, never longer than {@code max}; none when either is under a millisecond. */
    public static ExponentialBackoff of(Duration initial, Duration max) {
        long first = initial.toMillis();
        long cap = max.toMillis();
        IntervalFunction f = first < 1 || cap < 1 ? attempt -> 0L : IntervalFunction.ofExponentialBackoff(first, 2.0, cap);
        return new ExponentialBackoff(f, null);
    }

    /** The same pauses, each drawn at random from its upper half using {@code random}. */
    public ExponentialBackoff withEqualJitter(RandomGenerator random) {
        return new ExponentialBackoff(exponential, random);
    }

    /** The pause before retry number {@code attempt} (1 for the first retry); attempts below 1 count as 1. */
    public Duration delay(int attempt) {
        long d = exponential.apply(Math.max(1, attempt));
        if (jitter == null) {
            return Duration.ofMillis(d);
        }
        long half = d / 2;
        return Duration.ofMillis(half + (half > 0 ? jitter.nextLong(half + 1) : 0));
    }
}
