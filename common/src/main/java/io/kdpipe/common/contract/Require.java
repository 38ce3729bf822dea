package io.kdpipe.common.contract;

import java.util.List;
import java.util.Objects;

/** Checks shared by the contract records' constructors. */
final class Require {

    private Require() {
    }

    static <T> T present(T value, String field) {
        return Objects.requireNonNull(value, () -> "missing field '" + field + "'");
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }
}
