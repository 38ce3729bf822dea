package io.kdpipe.cli.operate;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/** Spaces actions evenly at a rate per second: one permit per period, no bursts. */
final class Pacer {

    private final RateLimiter limiter;

    Pacer(double perSecond) {
        if (!(perSecond > 0)) {
            throw new OperateException(ExitCodes.USAGE, "--rate must be positive");
        }
        long nanos = Math.max(1_000L, (long) (1_000_000_000L / perSecond));
        limiter = RateLimiter.of("kdpipe-operate", RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(nanos))
                .timeoutDuration(Duration.ofHours(1))
                .build());
    }

    void await() {
        if (!limiter.acquirePermission()) {
            throw new OperateException(ExitCodes.FAILED, "rate limiter refused a permit");
        }
    }
}
