package io.kdpipe.transformer.change;

import java.util.List;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.TrailEvent;

/**
 * What change detection concluded about one row (in memory only): the changes worth a notice, or why
 * there are none.
 *
 * @param row         the row; null for a tombstone
 * @param changes     one per kind found; empty when suppressed
 * @param suppressed  why nothing is sent, or null
 * @param timestamp   the row record's timestamp
 */
public record Detection(CustomerRow row, List<Change> changes, SuppressReason suppressed, long timestamp) {

    public Detection {
        changes = List.copyOf(changes);
    }

    /** The trail's record of this verdict. */
    public TrailEvent trailEvent(String customerKey) {
        return TrailEvent.row(customerKey, java.time.Instant.ofEpochMilli(timestamp), row,
                changes.stream().map(c -> c.kind().name()).toList(), suppressed == null ? null : suppressed.name());
    }
}
