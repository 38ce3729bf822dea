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

    static final String SALESPERSON = "FSELLER_FNumber";

    public Change {
        changes = List.copyOf(changes);
    }

    public String salesperson() {
        return row.text(SALESPERSON);
    }

    public String department() {
        return row.text("FSALDEPTID_FNumber");
    }

    /**
     * On a change of salesperson: the one before, from the watched {@code FSELLER_FNumber}'s old value;
     * otherwise null.
     */
    public String previousSalesperson() {
        for (FieldChange c : changes) {
            if (SALESPERSON.equals(c.field())) {
                return c.oldValue();
            }
        }
        return null;
    }

    /** The routing inputs of this change's notice. */
    public Notice.Routing routing() {
        return new Notice.Routing(kind, salesperson(), previousSalesperson(), department(), List.of());
    }
}
