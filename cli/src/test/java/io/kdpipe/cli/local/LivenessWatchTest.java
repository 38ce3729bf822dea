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

    private LivenessWatch watch(Service s) {
        return new LivenessWatch(List.of(s), SETTINGS, clock, messages::add);
    }

    private void after(LivenessWatch w, long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        w.checkOnce();
    }

    @Test
    void aServiceWhoseLivenessStaysDownIsRestartedWithAMessageThenStopped() {
        Service s = new Service();
        LivenessWatch w = watch(s);
        after(w, 5);
        s.problem = "send-loop: the send loop ended: IllegalStateException";

        after(w, 5);
        assertThat(messages).singleElement().asString().startsWith("notifier: liveness is down (send-loop: the send loop ended");
        after(w, 25);
        assertThat(s.restarts).isZero();
        after(w, 5);

        assertThat(s.restarts).isEqualTo(1);
        assertThat(messages.get(messages.size() - 1)).isEqualTo("notifier: liveness has been down for 30 s "
                + "(send-loop: the send loop ended: IllegalStateException); restarting it (restart 1 of 2)");

        after(w, 70); // past the startup grace, still down
        after(w, 30);
        assertThat(s.restarts).isEqualTo(2);
        after(w, 70);
        after(w, 30);

        assertThat(s.stopped).isTrue();
        assertThat(messages.get(messages.size() - 1)).startsWith("notifier: liveness still down after 2 restarts").contains("stopping it");
        assertThat(w.counts().get("notifier")).isEqualTo(new LivenessWatch.Counts(3, 2));
    }

    @Test
    void aServiceThatRecoversIsLeftAlone() {
        Service s = new Service();
        LivenessWatch w = watch(s);
        after(w, 5);
        s.problem = "streams: REBALANCING too long";
        after(w, 10);
        s.problem = null;
        after(w, 25);
        after(w, 30);

        assertThat(s.restarts).isZero();
        assertThat(s.stopped).isFalse();
        assertThat(w.counts().get("notifier")).isEqualTo(new LivenessWatch.Counts(1, 0));
    }
}
