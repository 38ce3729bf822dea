package io.kdpipe.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.kdpipe.common.runtime.LivenessTracker.Action;
import org.junit.jupiter.api.Test;

class LivenessTrackerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final LivenessTracker tracker = new LivenessTracker(Duration.ofSeconds(30), Duration.ofSeconds(60), 2);

    private Action at(long seconds, String problem) {
        return tracker.observe(problem, T0.plusSeconds(seconds));
    }

    @Test
    void aShortStretchOfFailingLivenessIsCountedButNotActedOn() {
        tracker.started(T0);
        at(5, null);

        assertThat(at(10, "send-loop: stopped")).isEqualTo(Action.NONE);
        assertThat(at(39, "send-loop: stopped")).isEqualTo(Action.NONE);
        assertThat(at(40, null)).isEqualTo(Action.NONE);
        assertThat(at(50, "send-loop: stopped")).isEqualTo(Action.NONE);

        assertThat(tracker.unhealthyPeriods()).isEqualTo(2);
        assertThat(tracker.restarts()).isZero();
        assertThat(tracker.lastProblem()).isEqualTo("send-loop: stopped");
    }

    @Test
    void livenessDownPastTheLimitRestartsTheServiceThenStopsItAfterTheLastRestart() {
        tracker.started(T0);
        at(5, null);
        at(10, "send-loop: the send loop died: IllegalStateException");

        assertThat(at(40, "send-loop: dead")).isEqualTo(Action.RESTART);
        tracker.started(T0.plusSeconds(41));
        at(45, null);
        at(50, "send-loop: dead");
        assertThat(at(80, "send-loop: dead")).isEqualTo(Action.RESTART);
        tracker.started(T0.plusSeconds(81));
        at(85, null);
        at(90, "send-loop: dead");

        assertThat(at(120, "send-loop: dead")).isEqualTo(Action.STOP);
        assertThat(at(200, "send-loop: dead")).as("stopped once").isEqualTo(Action.NONE);
        assertThat(tracker.restarts()).isEqualTo(2);
        assertThat(tracker.unhealthyPeriods()).isEqualTo(3);
    }

    @Test
    void aStartingServiceHasItsGraceButOneThatNeverBecomesLiveIsRestarted() {
        tracker.started(T0);

        assertThat(at(30, "unreachable: ConnectException")).isEqualTo(Action.NONE);
        assertThat(at(59, "unreachable: ConnectException")).isEqualTo(Action.NONE);
        assertThat(tracker.unhealthyPeriods()).isZero();
        assertThat(at(60, "unreachable: ConnectException")).isEqualTo(Action.NONE);
        assertThat(at(90, "unreachable: ConnectException")).isEqualTo(Action.RESTART);
    }
}
