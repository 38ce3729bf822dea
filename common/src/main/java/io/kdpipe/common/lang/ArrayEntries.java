package io.kdpipe.common.lang;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;

/** The entry set of a map kept as an array of names and a value per index, for such maps' {@code entrySet()}. */
public final class ArrayEntries {

    private ArrayEntries() {
    }

    /** Unmodifiable entries {@code names[i] → value.apply(i)}, in the names' order, each made when iterated to. */
    public static <V> Set<Map.Entry<String, V>> of(String[] names, IntFunction<V> value) {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, V> e = new AbstractMap.SimpleImmutableEntry<>(names[next], value.apply(next));
                        next++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
