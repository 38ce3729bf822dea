package io.kdpipe.transformer.change;

import java.util.List;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;

/**
 * A change worth a notice, as it flows from detection to notice building (in memory only, never
 * serialized).
 *
 * @param kind       what happened
 * @param row        the row that showed it
 * @param changes    for {@code CHANGED}: each watched field's old → new value; otherwise empty
 * @param topic      the row's topic, partition and offset, for the notice's provenance
 * @param timestamp  the row record's timestamp; the notice's {@code createdAt}, so the same input
 *                   yields the same bytes
 */
public record Change(Notice.Kind kind, CustomerRow row, List<FieldChange> changes, String topic, int partition,
        long offset, long timestamp) {

    public Change {
        changes = List.copyOf(changes);
    }

    public String salesperson() {
        return row.text("FSELLER_FNumber");
    }

    public String department() {
        return row.text("FSALDEPTID_FNumber");
    }
}
