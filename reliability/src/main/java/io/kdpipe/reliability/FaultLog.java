package io.kdpipe.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.SandboxStats;

/**
 * The faults a run planned, and how often each one fired, counted by the part that served it: the
 * DingTalk sandbox's call journal and statistics, the {@link KingdeeRelay} for Kingdee's answers, the
 * broker and service processes for stops and kills. A planned fault that never fired tested nothing,
 * and fails the run.
 *
 * @param planned how often each fault was scheduled
 * @param fired   how often each fault took effect
 */
record FaultLog(Map<String, Integer> planned, Map<String, Long> fired) {

    static final String TOKEN_EXPIRED = "DingTalk token expired";

    FaultLog {
        planned = Map.copyOf(planned);
        fired = Map.copyOf(fired);
    }

    /** Planned faults with no firing, in words; empty when each fired at least once. */
    List<String> neverFired() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(planned).forEach((fault, times) -> {
            if (fired.getOrDefault(fault, 0L) == 0) {
                out.add(fault + " (planned " + times + "×, never fired)");
            }
        });
        return out;
    }

    static String dingTalk(Fault f) {
        return "DingTalk " + f;
    }

    /**
     * The DingTalk faults that fired: the journal names each answer replaced by a fault and each
     * {@code 88/40014} (a call with an invalidated token); a hang after delivery answers normally, so
     * it is what the sandbox injected beyond the faults the journal names.
     */
    static Map<String, Long> dingTalkFired(List<DingTalkSandbox.Call> journal, SandboxStats stats) {
        Map<String, Long> fired = new TreeMap<>();
        long named = 0;
        for (DingTalkSandbox.Call c : journal) {
            for (Fault f : Fault.values()) {
                if (f.name().equals(c.outcome())) {
                    fired.merge(dingTalk(f), 1L, Long::sum);
                    named++;
                }
            }
            if ("88/40014".equals(c.outcome())) {
                fired.merge(TOKEN_EXPIRED, 1L, Long::sum);
            }
        }
        long afterDelivery = stats.faultsInjected() - named;
        if (afterDelivery > 0) {
            fired.put(dingTalk(Fault.HANG_AFTER_DELIVERY), afterDelivery);
        }
        return fired;
    }
}
