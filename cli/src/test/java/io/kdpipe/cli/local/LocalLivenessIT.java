package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.runtime.ServiceRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdpipe local} does not only watch for exits: a service whose liveness stays down while the
 * process lives is started again with a message, and stopped with a message once its restarts are
 * used up; the other services keep running.
 */
class LocalLivenessIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Read every 0.5 s; down for 2 s (or not live 3 s after a start) means a restart; one restart, then a stop. */
    private static final LivenessWatch.Settings FAST = new LivenessWatch.Settings(Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(3), 1);

    @TempDir
    Path dataDir;

    private final List<String> console = new CopyOnWriteArrayList<>();

    @Test
    void shouldRestartThenStopAServiceWhoseLivenessStaysDown() {
        try (LocalRun run = LocalRun.start(options(), console::add, FAST)) {
            ServiceRuntime first = run.services().get("notifier");
            await().atMost(WAIT).until(() -> first.health().live().up());

            first.health().liveness("send-loop-probe", () -> Health.Status.down("the send loop ended: IllegalStateException"));

            await().atMost(WAIT).until(() -> console.stream().anyMatch(l -> l.startsWith("notifier: liveness has been down for")
                    && l.contains("the send loop ended") && l.endsWith("restarting it (restart 1 of 1)")));
            await().atMost(WAIT).until(() -> run.services().get("notifier") != first && run.services().get("notifier").health().live().up());
            assertThat(run.liveness().get("notifier")).isEqualTo(new LivenessWatch.Counts(1, 1));

            ServiceRuntime second = run.services().get("notifier");
            second.health().liveness("send-loop-probe", () -> Health.Status.down("the send loop ended again"));

            await().atMost(WAIT).until(() -> console.stream().anyMatch(l -> l.startsWith("notifier: liveness still down after 1 restarts")
                    && l.contains("stopping it")));
            assertThat(run.services()).doesNotContainKey("notifier").containsKeys("extractor", "transformer");
            assertThat(run.services().get("transformer").health().live().up()).isTrue();
        }
    }

    private LocalOptions options() {
        return LocalRunIT.isolated(dataDir, 10, Map.of());
    }
}
