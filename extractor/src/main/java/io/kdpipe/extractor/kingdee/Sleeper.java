package io.kdpipe.extractor.kingdee;

import java.time.Duration;

/** Waits between attempts; tests pass one that records the pauses instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
}
