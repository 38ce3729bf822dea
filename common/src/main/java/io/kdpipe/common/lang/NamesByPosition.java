package io.kdpipe.common.lang;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A value made once per field name (its encoded bytes, its quoted form) and found again by the position
 * the name had in the last row: rows read or built with one layout share their names' strings, so a
 * name at its usual position is found by identity, without a hash lookup. Bounded: the first
 * {@value #POSITIONS} positions, and at most {@code maxNames} names remembered (a value for any other
 * name is made each time it is asked for). One thread at a time.
 */
public final class NamesByPosition<V> {

    static final int POSITIONS = 128;

    private final Function<String, V> make;
    private final int maxNames;
    private final Map<String, V> byName = new HashMap<>();
    private final String[] names = new String[POSITIONS];
    private final Object[] values = new Object[POSITIONS];

    public NamesByPosition(Function<String, V> make, int maxNames) {
        this.make = make;
        this.maxNames = maxNames;
    }

    /** The value of {@code name}, the field at {@code position} of its row. */
    @SuppressWarnings("unchecked")
    public V get(int position, String name) {
        boolean slot = position >= 0 && position < POSITIONS;
        if (slot && names[position] == name) {
            return (V) values[position];
        }
        V value = byName.get(name);
        if (value == null) {
            value = make.apply(name);
            if (byName.size() < maxNames) {
                byName.put(name, value);
            }
        }
        if (slot) {
            names[position] = name;
            values[position] = value;
        }
        return value;
    }
}
