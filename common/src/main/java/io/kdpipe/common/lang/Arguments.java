package io.kdpipe.common.lang;

/** Checks of constructor arguments, for records and classes with many required ones. */
public final class Arguments {

    private Arguments() {
    }

    /**
     * Checks several required arguments at once, given as name and value pairs:
     * {@code Arguments.requireNonNull("zone", zone, "clock", clock)}. The first null value fails
     * with a {@link NullPointerException} carrying its name, as {@code Objects.requireNonNull(value, name)}
     * would.
     *
     * @throws IllegalArgumentException when the pairs are not name (a string) and value
     */
    public static void requireNonNull(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name and value pairs, got " + namesAndValues.length + " arguments");
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("argument " + i + " should be a name, is " + namesAndValues[i]);
            }
            if (namesAndValues[i + 1] == null) {
                throw new NullPointerException(name);
            }
        }
    }
}
