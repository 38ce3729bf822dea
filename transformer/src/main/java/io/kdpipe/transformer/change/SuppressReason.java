package io.kdpipe.transformer.change;

/** Why a row produced no notice; the {@code reason} tag of {@code kdpipe_transformer_suppressed_total}. */
public enum SuppressReason {
    /** The same version of the row again (same FModifyDate, same fields). */
    DUPLICATE,
    /** Only FModifyDate moved: a save that changed nothing. */
    MODIFY_DATE_ONLY,
    /** Fields moved, but none of the watched ones. */
    UNWATCHED_FIELDS_ONLY,
    /** A snapshot row, stored silently (notify-snapshot is off). */
    SNAPSHOT,
    /** Older than the version already stored; ignored. */
    OUT_OF_ORDER,
    /** A null value (customer deleted from the compacted topic); its state is dropped. */
    TOMBSTONE
}
