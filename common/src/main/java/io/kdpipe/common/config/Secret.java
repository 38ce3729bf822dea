package io.kdpipe.common.config;

import java.util.Objects;

/** A password, app secret or token. Its text shows only through {@link #reveal()}. */
public final class Secret {

    private static final String MASK = "******";

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself: pass it to the one call that needs it, never to a log, metric or message. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
