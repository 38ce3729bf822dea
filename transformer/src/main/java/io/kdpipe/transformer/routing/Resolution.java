package io.kdpipe.transformer.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.transformer.change.Change;

/** A change and the directory to route it by (entry by key; null when absent). */
public record Resolution(Change change, Function<String, DirectoryEntry> directory) {

    /** A change routed by a fixed set of entries. */
    public static Resolution of(Change change, DirectoryEntry... entries) {
        Map<String, DirectoryEntry> byKey = new HashMap<>();
        for (DirectoryEntry e : entries) {
            byKey.put(e.key(), e);
        }
        return new Resolution(change, byKey::get);
    }
}
