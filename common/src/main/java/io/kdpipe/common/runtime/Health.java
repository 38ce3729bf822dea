package io.kdpipe.common.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named health checks. Liveness says the process should keep running; readiness says it is doing
 * its work now. Each probe is the AND of its checks, and a failing probe names its failing checks.
 */
public final class Health {

    /** One check's answer: up or not, with a reason a person can act on. */
    public record Status(boolean up, String detail) {
        public static Status ok() {
            return new Status(true, "ok");
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    /** The result of one probe: up when all checks are up; {@code checks} names each check's status. */
    public record Report(boolean up, Map<String, Status> checks) {
    }

    private final Map<String, Supplier<Status>> liveness = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Status>> readiness = new ConcurrentHashMap<>();

    public void liveness(String name, Supplier<Status> check) {
        liveness.put(name, check);
    }

    public void readiness(String name, Supplier<Status> check) {
        readiness.put(name, check);
    }

    public Report live() {
        return evaluate(liveness);
    }

    public Report ready() {
        return evaluate(readiness);
    }

    private static Report evaluate(Map<String, Supplier<Status>> checks) {
        Map<String, Status> out = new LinkedHashMap<>();
        boolean up = true;
        for (var e : new TreeMap<>(checks).entrySet()) {
            Status s;
            try {
                s = e.getValue().get();
            } catch (RuntimeException ex) {
                s = Status.down("check failed: " + ex.getClass().getSimpleName());
            }
            out.put(e.getKey(), s);
            up &= s.up();
        }
        return new Report(up, out);
    }
}
