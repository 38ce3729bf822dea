package io.kdpipe.cli.local;

import java.util.function.Supplier;

import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.runtime.ServiceRuntime;

/**
 * One in-process service of {@code kdpipe local} that can be started again: it holds the running
 * {@link ServiceRuntime} and how to start a new one from the same settings. Closing the slot closes
 * whatever runtime it holds.
 */
final class ServiceSlot implements LivenessWatch.Supervised, AutoCloseable {

    private final String name;
    private final Supplier<ServiceRuntime> starter;
    private ServiceRuntime runtime;
    private boolean stopped;

    ServiceSlot(String name, Supplier<ServiceRuntime> starter) {
        this.name = name;
        this.starter = starter;
        this.runtime = starter.get();
    }

    @Override
    public String name() {
        return name;
    }

    /** The running runtime, or null once stopped. */
    synchronized ServiceRuntime runtime() {
        return runtime;
    }

    @Override
    public synchronized String liveProblem() {
        if (runtime == null) {
            return "stopped";
        }
        Health.Report live = runtime.health().live();
        if (live.up()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        live.checks().forEach((check, status) -> {
            if (!status.up()) {
                b.append(b.length() == 0 ? "" : "; ").append(check).append(": ").append(status.detail());
            }
        });
        return b.toString();
    }

    @Override
    public synchronized void restart() {
        if (stopped) {
            return;
        }
        runtime.close();
        runtime = starter.get();
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    @Override
    public synchronized void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
