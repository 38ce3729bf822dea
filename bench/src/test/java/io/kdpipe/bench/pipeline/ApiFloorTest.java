package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiFloorTest {

    @Test
    void theFloorIsTheLongestJobNotTheAverage() {
        ApiFloor floor = new ApiFloor(Map.of("org-100", 22L, "org-200", 21L, "org-300", 21L), Duration.ofSeconds(1));

        assertThat(floor.queries()).isEqualTo(64);
        assertThat(floor.longestJobQueries()).isEqualTo(22);
        assertThat(floor.seconds()).isEqualTo(22.0);
        assertThat(floor.averageSeconds()).isCloseTo(21.333, org.assertj.core.data.Offset.offset(0.001));
        assertThat(floor.perJob()).isEqualTo("{org-100=22, org-200=21, org-300=21}");
    }

    @Test
    void anEvenSplitGivesTheAverage() {
        ApiFloor floor = new ApiFloor(Map.of("a", 10L, "b", 10L), Duration.ofMillis(150));

        assertThat(floor.seconds()).isEqualTo(1.5);
        assertThat(floor.averageSeconds()).isEqualTo(1.5);
    }

    @Test
    void oneJobAloneIsItsOwnFloor() {
        ApiFloor floor = new ApiFloor(Map.of("all", 7L), Duration.ofMillis(150));

        assertThat(floor.seconds()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void noQueriesIsNoFloor() {
        assertThatThrownBy(() -> new ApiFloor(Map.of(), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
