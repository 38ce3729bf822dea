package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class LivenessWatchTest {

    private static final LivenessWatch.Settings SETTINGS = new LivenessWatch.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 2);

    private final List<String> messages = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));

    private final class Service implements LivenessWatch.Supervised {
        String problem;
        int restarts;
        boolean stopped;

        @Override
        public String name() {
            return "notifier";
        }

        @Override
        public String liveProblem() {
            return problem;
        }

        @Override
        public void restart() {
            restarts++;
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private final Service service = new Service();
    private final LivenessWatch watch = new LivenessWatch(List.of(service), SETTINGS, clock, messages::add);

    /** Moves the clock by {@code seconds} and lets the watch look once. */
    private void after(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        watch.checkOnce();
    }

    @Test
    void aServiceWhoseLivenessStaysDownIsRestartedWithAMessageThenStopped() {
        after(5);
        service.problem = "send-loop: the send loop ended: IllegalStateException";

        after(5);
        assertThat(messages).singleElement().asString().startsWith("notifier: liveness is down (send-loop: the send loop ended");
        after(25);
        assertThat(service.restarts).isZero();
        after(5);

        assertThat(service.restarts).isEqualTo(1);
        assertThat(messages.get(messages.size() - 1)).isEqualTo("notifier: liveness has been down for 30 s "
                + "(send-loop: the send loop ended: IllegalStateException); restarting it (restart 1 of 2)");

        after(70); // past the startup grace, still down
        after(30);
        assertThat(service.restarts).isEqualTo(2);
        after(70);
        after(30);

        assertThat(service.stopped).isTrue();
        assertThat(messages.get(messages.size() - 1)).startsWith("notifier: liveness still down after 2 restarts").contains("stopping it");
        assertThat(watch.counts().get("notifier")).isEqualTo(new LivenessWatch.Counts(3, 2));
    }

    @Test
    void aServiceThatRecoversIsLeftAlone() {
        after(5);
        service.problem = "streams: REBALANCING too long";
        after(10);
        service.problem = null;
        after(25);
        after(30);

        assertThat(service.restarts).isZero();
        assertThat(service.stopped).isFalse();
        assertThat(watch.counts().get("notifier")).isEqualTo(new LivenessWatch.Counts(1, 0));
    }
}
