package io.kdpipe.notifier.send;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.kdpipe.common.runtime.ExponentialBackoff;

/** The retry backoff of sends: exponential with "equal jitter" (half the delay fixed, half random), so retries spread out. */
final class Backoff {

    private final ExponentialBackoff backoff;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.backoff = ExponentialBackoff.of(initial, max).withEqualJitter(random);
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    Duration delay(int attempt) {
        return backoff.delay(attempt);
    }
}
