package io.kdpipe.notifier.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldGrowExponentiallyWithJitterUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(1));
        for (int attempt = 1; attempt <= 10; attempt++) {
            long full = Math.min(2000, 100L << (attempt - 1));
            Duration d = b.delay(attempt);
            assertThat(d.toMillis()).isBetween(full / 2, full);
        }
        assertThat(b.delay(60).toMillis()).isBetween(1000L, 2000L);
    }
}
