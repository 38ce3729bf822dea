package io.kdpipe.common.contract;

/** A value that crosses a topic. Its schema version travels with it in the {@code schemaVersion} field. */
public interface Versioned {

    int schemaVersion();
}
