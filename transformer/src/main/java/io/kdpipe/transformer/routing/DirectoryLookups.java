package io.kdpipe.transformer.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.kdpipe.common.contract.DirectoryEntry;

/**
 * One task's copies of the directory entries it looked up in the global store, kept while the store
 * does not change. Every notice looks up its salesperson (and maybe a previous one and a department)
 * there, a few hundred people among thousands of notices; a copy saves the store read and the
 * decoding. {@link DirectoryUpdate} counts each write to the store in {@link Changes} after making
 * it: a lookup drops every copy when the count has moved, and keeps what it read only when the count
 * did not move while it read, so no copy outlives the entry it was read from.
 */
public final class DirectoryLookups {

    /** Copies kept at most; past it they are all dropped and the lookups start over. */
    static final int MAX_KEPT = 2_000;
    private static final Object ABSENT = new Object();

    private final Changes changes;
    private final Function<String, DirectoryEntry> store;
    private final Map<String, Object> kept = new HashMap<>();
    private long keptAt = -1;

    /** @param store reads one entry from the global store, null when it holds none */
    public DirectoryLookups(Changes changes, Function<String, DirectoryEntry> store) {
        this.changes = changes;
        this.store = store;
    }

    public DirectoryEntry get(String key) {
        long now = changes.count();
        if (now != keptAt) {
            kept.clear();
            keptAt = now;
        }
        Object copy = kept.get(key);
        if (copy != null) {
            return copy == ABSENT ? null : (DirectoryEntry) copy;
        }
        DirectoryEntry entry = store.apply(key);
        if (changes.count() == now) {
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            kept.put(key, entry == null ? ABSENT : entry);
        }
        return entry;
    }

    /** How often the directory's global store has been written, shared by its writer and every reader. */
    public static final class Changes {

        private final AtomicLong count = new AtomicLong();

        void changed() {
            count.incrementAndGet();
        }

        long count() {
            return count.get();
        }
    }
}
