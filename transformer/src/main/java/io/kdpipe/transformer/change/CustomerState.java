package io.kdpipe.transformer.change;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.kdpipe.common.contract.Codec;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Versioned;

/**
 * What the change detector remembers of one customer, in the {@code customer-state} store and its
 * changelog (encoded by {@code InternalSerdes.CUSTOMER_STATE}; {@link #CODEC} is the JSON form earlier
 * versions stored, still read). Only the watched fields and the two status fields are kept, plus a
 * fingerprint of the whole row so "nothing but FModifyDate moved" can be told from "an unwatched
 * field moved".
 *
 * @param modifiedAt       the row version ({@code FModifyDate}) this state came from
 * @param watched          watched field → text value (null when empty)
 * @param documentStatus   {@code FDocumentStatus}
 * @param forbidStatus     {@code FForbidStatus}
 * @param fingerprint      of every field except {@code FModifyDate}; see {@link Fingerprint} for its schemes
 */
public record CustomerState(
        int schemaVersion,
        Instant modifiedAt,
        Map<String, String> watched,
        String documentStatus,
        String forbidStatus,
        String fingerprint) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<CustomerState> CODEC = new Codec<>(CustomerState.class, VERSION);

    public static final String DOCUMENT_STATUS = "FDocumentStatus";
    public static final String FORBID_STATUS = "FForbidStatus";
    public static final String MODIFY_DATE = "FModifyDate";

    public CustomerState {
        watched = WatchedValues.copyOf(watched == null ? Map.of() : watched);
    }

    /**
     * Whether {@code other} holds the same content as this state, whatever its {@code modifiedAt}: the same
     * watched values, statuses and fingerprint (of the same scheme). False for null.
     */
    public boolean sameContent(CustomerState other) {
        return other != null && schemaVersion == other.schemaVersion && watched.equals(other.watched)
                && Objects.equals(documentStatus, other.documentStatus) && Objects.equals(forbidStatus, other.forbidStatus)
                && Objects.equals(fingerprint, other.fingerprint);
    }

    public static CustomerState of(CustomerRow row, List<String> watchedFields) {
        return of(row, watchedFields, new Fingerprint());
    }

    /** The state of {@code row}, fingerprinted with {@code fingerprint} (reused by a processor). */
    public static CustomerState of(CustomerRow row, List<String> watchedFields, Fingerprint fingerprint) {
        return of(row, WatchedValues.names(watchedFields), fingerprint);
    }

    /** As {@link #of(CustomerRow, List, Fingerprint)}, the watched fields as {@link WatchedValues#names} gives them. */
    public static CustomerState of(CustomerRow row, String[] watchedNames, Fingerprint fingerprint) {
        String[] values = new String[watchedNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.text(watchedNames[i]);
        }
        return new CustomerState(VERSION, row.modifiedAt(), WatchedValues.of(watchedNames, values), row.text(DOCUMENT_STATUS),
                row.text(FORBID_STATUS), fingerprint.of(row));
    }
}
