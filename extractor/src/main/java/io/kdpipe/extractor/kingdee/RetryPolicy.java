package io.kdpipe.extractor.kingdee;

import java.time.Duration;

import io.kdpipe.common.runtime.ExponentialBackoff;

/**
 * How often and how patiently a call that may succeed later is repeated: exponential backoff from
 * {@code initialBackoff}, capped at {@code maxBackoff}, at most {@code maxAttempts} attempts in all.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The pause before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration backoff(int attempt) {
        return ExponentialBackoff.of(initialBackoff, maxBackoff).delay(attempt);
    }
}
