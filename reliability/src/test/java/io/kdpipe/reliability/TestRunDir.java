package io.kdpipe.reliability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A run directory name unique to this test run. */
final class TestRunDir {

    private TestRunDir() {
    }

    static String name() {
        return "it-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-') + "-" + ProcessHandle.current().pid();
    }
}
