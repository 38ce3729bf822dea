package io.kdpipe.transformer.change;

import java.util.List;

import io.kdpipe.common.contract.CustomerRow;

/**
 * A row in which change detection found changes worth a notice (in memory only).
 *
 * @param row         the row
 * @param changes     one per kind found
 * @param timestamp   the row record's timestamp
 */
public record Detection(CustomerRow row, List<Change> changes, long timestamp) {

    public Detection {
        changes = List.copyOf(changes);
    }
}
