package io.kdpipe.notifier.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SharedRateLimiterTest {

    @Test
    void shouldTakeTheShareOfOwnedPartitionsAndSpaceCallsEvenly() {
        SharedRateLimiter limiter = new SharedRateLimiter(100, 1.0, 6, d -> { });
        assertThat(limiter.currentRate()).isEqualTo(100.0);
        limiter.share(3);
        assertThat(limiter.currentRate()).isEqualTo(50.0);
        limiter.share(0);
        assertThat(limiter.currentRate()).as("never below one partition's worth").isCloseTo(16.67, org.assertj.core.data.Offset.offset(0.01));

        limiter.share(6);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            limiter.acquire();
            times.add(System.nanoTime());
        }
        // any window of one second holds at most ~rate calls: 41 calls at 100/s take at least ~0.39 s
        assertThat((times.get(40) - times.get(0)) / 1_000_000).isGreaterThanOrEqualTo(380);
        for (int i = 0; i + 20 < times.size(); i++) {
            assertThat((times.get(i + 20) - times.get(i)) / 1_000_000).as("20 calls never bunch up").isGreaterThanOrEqualTo(180);
        }
    }
}
