package io.kdpipe.cli.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.kdpipe.common.runtime.LivenessTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each service's liveness every {@code interval}, the way an orchestrator reads
 * {@code /health/live}. A service can die silently (its send loop, job thread or stream thread ends
 * while the process lives); one whose liveness stays down for {@code restartAfter} is started again
 * from its settings, with a message saying why, and after {@code maxRestarts} such restarts it is
 * stopped and stays stopped, with a message saying so.
 */
final class LivenessWatch implements AutoCloseable {

    /** How often liveness is read, how long it may fail, and how many restarts a service gets. */
    record Settings(Duration interval, Duration restartAfter, Duration startupGrace, int maxRestarts) {
        static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), 3);
    }

    /** A service the watch can read and act on. */
    interface Supervised {
        String name();

        /** Null when live; otherwise the failing checks and what they say. */
        String liveProblem();

        void restart();

        void stop();
    }

    private static final Logger log = LoggerFactory.getLogger(LivenessWatch.class);

    private final Settings settings;
    private final Clock clock;
    private final Consumer<String> out;
    private final Map<Supervised, LivenessTracker> trackers = new LinkedHashMap<>();
    private ScheduledExecutorService executor;

    LivenessWatch(List<? extends Supervised> services, Settings settings, Clock clock, Consumer<String> out) {
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        for (Supervised s : services) {
            LivenessTracker t = new LivenessTracker(settings.restartAfter(), settings.startupGrace(), settings.maxRestarts());
            t.started(clock.instant());
            trackers.put(s, t);
        }
    }

    LivenessWatch start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kdpipe-local-liveness");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                checkOnce();
            } catch (RuntimeException e) {
                log.warn("Reading liveness failed: {}", e.toString());
            }
        }, settings.interval().toMillis(), settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reads every service once and acts on what it finds. */
    synchronized void checkOnce() {
        trackers.forEach((service, tracker) -> {
            String problem = service.liveProblem();
            Instant now = clock.instant();
            Duration down = tracker.downFor(now);
            int periods = tracker.unhealthyPeriods();
            LivenessTracker.Action action = tracker.observe(problem, now);
            if (tracker.unhealthyPeriods() > periods) {
                out.accept(String.format("%s: liveness is down (%s); it is restarted if it stays down for %d s",
                        service.name(), problem, settings.restartAfter().toSeconds()));
            }
            switch (action) {
                case RESTART -> {
                    out.accept(String.format("%s: liveness has been down for %d s (%s); restarting it (restart %d of %d)",
                            service.name(), Math.max(down.toSeconds(), settings.restartAfter().toSeconds()), problem,
                            tracker.restarts(), settings.maxRestarts()));
                    service.restart();
                    tracker.started(clock.instant());
                }
                case STOP -> {
                    out.accept(String.format("%s: liveness still down after %d restarts (%s); stopping it. The other services "
                            + "keep running; fix the cause and start kdpipe local again.", service.name(), tracker.restarts(), problem));
                    service.stop();
                }
                case NONE -> {
                }
            }
        });
    }

    /** Stretches of failing liveness of one service, and restarts because of them. */
    record Counts(int unhealthyPeriods, int restarts) {
    }

    /** Per service name. */
    synchronized Map<String, Counts> counts() {
        Map<String, Counts> counts = new LinkedHashMap<>();
        trackers.forEach((s, t) -> counts.put(s.name(), new Counts(t.unhealthyPeriods(), t.restarts())));
        return counts;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
