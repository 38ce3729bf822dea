package io.kdpipe.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    @Test
    void doublesFromTheFirstPauseUpToTheCap() {
        ExponentialBackoff b = ExponentialBackoff.of(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delay(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(b.delay(200)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void aFirstPauseLongerThanTheCapIsCapped() {
        assertThat(ExponentialBackoff.of(Duration.ofSeconds(5), Duration.ofSeconds(2)).delay(1)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void noPauseWhenConfiguredAsZero() {
        assertThat(ExponentialBackoff.of(Duration.ZERO, Duration.ofSeconds(2)).delay(3)).isZero();
        assertThat(ExponentialBackoff.of(Duration.ofSeconds(1), Duration.ZERO).delay(3)).isZero();
    }

    @Test
    void equalJitterDrawsFromTheUpperHalf() {
        ExponentialBackoff b = ExponentialBackoff.of(Duration.ofMillis(100), Duration.ofSeconds(2)).withEqualJitter(new Random(7));
        boolean varied = false;
        for (int attempt = 1; attempt <= 12; attempt++) {
            long full = Math.min(2000, 100L << (attempt - 1));
            long d = b.delay(attempt).toMillis();
            assertThat(d).isBetween(full / 2, full);
            varied |= d != full;
        }
        assertThat(varied).as("some pause is shorter than the full one").isTrue();
    }
}
