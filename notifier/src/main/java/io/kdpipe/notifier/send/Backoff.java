package io.kdpipe.notifier.send;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries spread out. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    Duration delay(int attempt) {
        long base = initial.toMillis();
        long cap = max.toMillis();
        long exp = base << Math.min(Math.max(0, attempt - 1), 30);
        long d = Math.min(cap, exp < 0 ? cap : exp);
        long half = d / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}
