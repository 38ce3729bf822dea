package io.kdpipe.reliability;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How big a chaos run is.
 *
 * @param customers        rows in the Kingdee sandbox's table
 * @param changes          customers edited while faults are injected (each one once)
 * @param chaosPhase       how long changes and faults are spread over
 * @param killsPerService  {@code kill -9} of each service within the phase
 * @param settle           how long the pipeline gets after the phase to come to rest
 * @param quiet            how long every group must be caught up and the output unchanged to count as at rest
 * @param livenessRestartAfter how long {@code /health/live} may stay down before the supervisor restarts a service
 * @param seed             random seed of the fault schedule and the edits
 * @param root             the project root (the services' jars are under {@code <service>/target})
 * @param classpath        class path of the broker process
 * @param runDir           where logs and broker data go
 */
public record ChaosOptions(int customers, int changes, Duration chaosPhase, int killsPerService, Duration settle, Duration quiet,
                           Duration livenessRestartAfter, long seed, Path root, String classpath, Path runDir) {

    /** The CI version: every fault once, about a minute and a half. */
    public static ChaosOptions shortRun(Path root, String classpath, Path runDir) {
        return new ChaosOptions(120, 30, Duration.ofSeconds(30), 1, Duration.ofSeconds(90), Duration.ofSeconds(5), Duration.ofSeconds(30),
                10L, root, classpath, runDir);
    }

    /** The on-demand version: three kills of each service, more changes over several minutes. */
    public static ChaosOptions longRun(Path root, String classpath, Path runDir) {
        return new ChaosOptions(2_000, 300, Duration.ofMinutes(5), 3, Duration.ofMinutes(4), Duration.ofSeconds(20), Duration.ofSeconds(60),
                42L, root, classpath, runDir);
    }
}
