package io.kdpipe.common.runtime;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A check whose status the owning component sets as things happen, e.g. "login refused". */
public final class HealthState implements Supplier<Health.Status> {

    private final AtomicReference<Health.Status> status;

    public HealthState(Health.Status initial) {
        this.status = new AtomicReference<>(initial);
    }

    public void up() {
        status.set(Health.Status.ok());
    }

    public void down(String detail) {
        status.set(Health.Status.down(detail));
    }

    @Override
    public Health.Status get() {
        return status.get();
    }
}
