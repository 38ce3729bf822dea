package io.kdpipe.common.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * A supervisor's memory of one service's {@code /health/live}: it counts the stretches of failing
 * liveness (unhealthy periods) and says when a stretch has lasted long enough that the service must
 * be restarted, or, after too many restarts, stopped. A service that runs while its work has died
 * (a dead send loop, job thread or stream thread) shows up here even though its process lives.
 *
 * <p>After a (re)start the service gets {@code startupGrace} to become live before failing liveness
 * counts. Not thread-safe beyond its own methods: one supervisor thread feeds it.
 */
public final class LivenessTracker {

    /** What the supervisor should do after a reading. */
    public enum Action { NONE, RESTART, STOP }

    private final Duration restartAfter;
    private final Duration startupGrace;
    private final int maxRestarts;
    private Instant startedAt = Instant.MIN;
    private boolean liveSinceStart;
    private Instant downSince;
    private int unhealthyPeriods;
    private int restarts;
    private boolean stopped;
    private String lastProblem;

    /**
     * @param restartAfter how long liveness may fail before a restart
     * @param startupGrace how long a (re)started service may take to become live
     * @param maxRestarts  restarts before the service is stopped instead
     */
    public LivenessTracker(Duration restartAfter, Duration startupGrace, int maxRestarts) {
        this.restartAfter = restartAfter;
        this.startupGrace = startupGrace;
        this.maxRestarts = maxRestarts;
    }

    /** The service was (re)started at {@code now}. */
    public synchronized void started(Instant now) {
        startedAt = now;
        liveSinceStart = false;
        downSince = null;
    }

    /**
     * One reading of liveness.
     *
     * @param problem null when live; otherwise what the probe said or why it could not be read
     */
    public synchronized Action observe(String problem, Instant now) {
        if (stopped) {
            return Action.NONE;
        }
        if (problem == null) {
            liveSinceStart = true;
            downSince = null;
            return Action.NONE;
        }
        if (!liveSinceStart && now.isBefore(startedAt.plus(startupGrace))) {
            return Action.NONE;
        }
        if (downSince == null) {
            downSince = now;
            unhealthyPeriods++;
            lastProblem = problem;
        }
        if (Duration.between(downSince, now).compareTo(restartAfter) < 0) {
            return Action.NONE;
        }
        if (restarts < maxRestarts) {
            restarts++;
            return Action.RESTART;
        }
        stopped = true;
        return Action.STOP;
    }

    public synchronized int unhealthyPeriods() {
        return unhealthyPeriods;
    }

    public synchronized int restarts() {
        return restarts;
    }

    /** What liveness said when the last unhealthy period began, or null. */
    public synchronized String lastProblem() {
        return lastProblem;
    }

    /** How long liveness has been failing at {@code now}; zero when live. */
    public synchronized Duration downFor(Instant now) {
        return downSince == null ? Duration.ZERO : Duration.between(downSince, now);
    }
}
