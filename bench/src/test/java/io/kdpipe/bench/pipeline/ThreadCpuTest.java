package io.kdpipe.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void aThreadThatEndedCountsNowhereAndANewOneInFull() {
        AppJvm.ThreadCpu before = new AppJvm.ThreadCpu(Map.of("1", "work", "2", "other", "3", "other"), Map.of("1", 2.0, "2", 5.0, "3", 1.0));
        // thread 2 ended in between (5 s gone with it), thread 4 started
        AppJvm.ThreadCpu after = new AppJvm.ThreadCpu(Map.of("1", "work", "3", "other", "4", "other"), Map.of("1", 3.5, "3", 1.25, "4", 0.5));

        Map<String, Double> used = after.since(before);

        assertEquals(1.5, used.get("work"), 1e-9);
        assertEquals(0.75, used.get("other"), 1e-9);
    }

    @Test
    void sinceNothingIsEveryLiveThreadInFull() {
        AppJvm.ThreadCpu now = new AppJvm.ThreadCpu(Map.of("1", "JIT", "2", "JIT"), Map.of("1", 1.0, "2", 2.0));

        assertEquals(Map.of("JIT", 3.0), now.since(AppJvm.ThreadCpu.NONE));
    }
}
