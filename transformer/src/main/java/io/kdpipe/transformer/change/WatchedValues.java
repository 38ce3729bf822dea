package io.kdpipe.transformer.change;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.kdpipe.common.lang.ArrayEntries;

/**
 * A customer's watched fields and their values ({@link CustomerState#watched()}), unmodifiable: the names
 * in ascending order, in an array shared by every state with the same names ({@link #names}), and a value
 * (null for none) per name. Two of them with the same names compare their values only, and a field is
 * found by a binary search, so a state is made, read and compared without a tree map.
 */
public final class WatchedValues extends AbstractMap<String, String> {

    /** Sets of names kept to be shared; a deployment has one watch list, and one more for a while after it changes. */
    private static final int MAX_NAME_SETS = 64;
    private static final ConcurrentMap<List<String>, String[]> NAME_SETS = new ConcurrentHashMap<>();
    private static final WatchedValues EMPTY = new WatchedValues(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;

    private WatchedValues(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** These names in ascending order, each once, as the array shared by every state with them. */
    public static String[] names(Collection<String> names) {
        return shared(new TreeSet<>(names).toArray(new String[0]));
    }

    /**
     * The values of {@code names} (in strictly ascending order), taken over with {@code values}: neither
     * array may change afterwards. Names that are not strictly ascending are refused.
     */
    public static WatchedValues of(String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " names but " + values.length + " values");
        }
        if (names.length == 0) {
            return EMPTY;
        }
        // a known set of names was in order when it was kept: only a new one is checked
        String[] known = NAME_SETS.get(Arrays.asList(names));
        if (known == null) {
            if (!ascending(names)) {
                throw new IllegalArgumentException("watched field names out of order: " + Arrays.toString(names));
            }
            known = shared(names);
        }
        return new WatchedValues(known, values);
    }

    /** {@code map} as watched values (itself when it is one); null keys are refused. */
    public static WatchedValues copyOf(Map<String, String> map) {
        if (map instanceof WatchedValues w) {
            return w;
        }
        TreeMap<String, String> sorted = new TreeMap<>(map);
        return of(sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
    }

    /** Whether {@code names} is strictly ascending, as {@link #of} needs. */
    public static boolean ascending(String[] names) {
        for (int i = 1; i < names.length; i++) {
            if (names[i - 1].compareTo(names[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String[] shared(String[] names) {
        List<String> key = Arrays.asList(names);
        String[] known = NAME_SETS.get(key);
        if (known != null) {
            return known;
        }
        if (NAME_SETS.size() >= MAX_NAME_SETS) {
            return names;
        }
        known = NAME_SETS.putIfAbsent(List.of(names), names);
        return known != null ? known : names;
    }

    /** The name at {@code i}, in ascending order. */
    public String name(int i) {
        return names[i];
    }

    /** The value at {@code i} (of {@link #name(int)}), or null for none. */
    public String value(int i) {
        return values[i];
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && Arrays.binarySearch(names, k) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = key instanceof String k ? Arrays.binarySearch(names, k) : -1;
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof WatchedValues w && w.names == names) {
            return Arrays.equals(values, w.values);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return ArrayEntries.of(names, i -> values[i]);
    }
}
