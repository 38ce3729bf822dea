package io.kdpipe.transformer.change;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each row with the last-seen state of its customer. A row that shows a change forwards one
 * {@link Detection} with a {@link Change} per kind ({@code CREATED}, {@code APPROVED}, {@code FORBIDDEN},
 * {@code ENABLED}, {@code CHANGED}) to notice building; a row that shows nothing a person cares about
 * is counted by reason and forwards nothing (the trail reader tells its reason from the row versions).
 * The state is written only when the customer's content changes (any field but {@code FModifyDate}):
 * it holds the version at which the content last changed. A row older than that version is
 * {@code OUT_OF_ORDER}; a row between that version and a later save that moved only {@code FModifyDate}
 * is compared like any newer row (the same content again is quiet).
 */
public final class ChangeDetector implements FixedKeyProcessor<String, CustomerRow, Detection> {

    private final String storeName;
    private final List<String> watchedFields;
    private final String[] watchedNames;
    private final boolean notifySnapshot;
    private final FieldLabels labels;
    private final TransformerMetrics metrics;
    private final Fingerprint fingerprint = new Fingerprint();
    private FixedKeyProcessorContext<String, Detection> context;
    private KeyValueStore<String, CustomerState> store;

    public ChangeDetector(String storeName, List<String> watchedFields, boolean notifySnapshot, FieldLabels labels,
            TransformerMetrics metrics) {
        this.storeName = storeName;
        this.watchedFields = List.copyOf(watchedFields);
        this.watchedNames = WatchedValues.names(watchedFields);
        this.notifySnapshot = notifySnapshot;
        this.labels = labels;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Detection> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerRow> record) {
        metrics.rowIn();
        String key = record.key();
        CustomerRow row = record.value();
        if (row == null) {
            if (key != null) {
                store.delete(key);
            }
            suppress(record, SuppressReason.TOMBSTONE);
            return;
        }
        if (!row.key().equals(key)) {
            throw new InvalidRowException("record key '" + key + "' does not match the row's key '" + row.key() + "'");
        }
        CustomerState previous = store.get(key);
        if (previous != null && row.modifiedAt().isBefore(previous.modifiedAt())) {
            suppress(record, SuppressReason.OUT_OF_ORDER);
            return;
        }
        CustomerState next = CustomerState.of(row, watchedNames, fingerprint);
        if (!next.sameContent(previous)) {
            // the same row version again, or a save that moved only FModifyDate, changes nothing: no store write,
            // no changelog record. The state keeps the version at which the customer's content last changed, so
            // the out-of-order guard below compares with that version (see transformer/README.md)
            store.put(key, next);
        }
        boolean silentSnapshot = row.phase() == CustomerRow.Phase.SNAPSHOT && !notifySnapshot;

        if (previous == null) {
            if (silentSnapshot) {
                suppress(record, SuppressReason.SNAPSHOT);
            } else {
                forward(record, List.of(change(record, Kind.CREATED, row, List.of())));
            }
            return;
        }
        List<Kind> kinds = new ArrayList<>();
        if (!"C".equals(previous.documentStatus()) && "C".equals(next.documentStatus())) {
            kinds.add(Kind.APPROVED);
        }
        if ("A".equals(previous.forbidStatus()) && "B".equals(next.forbidStatus())) {
            kinds.add(Kind.FORBIDDEN);
        }
        if ("B".equals(previous.forbidStatus()) && "A".equals(next.forbidStatus())) {
            kinds.add(Kind.ENABLED);
        }
        List<FieldChange> diffs = diff(previous, next);
        if (!diffs.isEmpty()) {
            kinds.add(Kind.CHANGED);
        }
        if (kinds.isEmpty()) {
            suppress(record, quietReason(previous, next, row));
            return;
        }
        if (silentSnapshot) {
            suppress(record, SuppressReason.SNAPSHOT);
            return;
        }
        List<Change> changes = new ArrayList<>();
        for (Kind kind : kinds) {
            changes.add(change(record, kind, row, kind == Kind.CHANGED ? diffs : List.of()));
        }
        forward(record, changes);
    }

    private List<FieldChange> diff(CustomerState previous, CustomerState next) {
        List<FieldChange> diffs = new ArrayList<>();
        for (String field : watchedFields) {
            if (field.equals(CustomerState.DOCUMENT_STATUS) || field.equals(CustomerState.FORBID_STATUS)) {
                continue; // reported as APPROVED / FORBIDDEN / ENABLED
            }
            // a field newly added to the watch list has no old value: not a change
            if (!previous.watched().containsKey(field)) {
                continue;
            }
            String before = previous.watched().get(field);
            String after = next.watched().get(field);
            if (!Objects.equals(before, after)) {
                diffs.add(new FieldChange(field, labels.label(field), before, after));
            }
        }
        return diffs;
    }

    private static SuppressReason quietReason(CustomerState previous, CustomerState next, CustomerRow row) {
        if (Fingerprint.unwatchedFieldsMoved(previous, next.fingerprint(), row)) {
            return SuppressReason.UNWATCHED_FIELDS_ONLY;
        }
        return previous.modifiedAt().equals(next.modifiedAt()) ? SuppressReason.DUPLICATE : SuppressReason.MODIFY_DATE_ONLY;
    }

    private Change change(FixedKeyRecord<String, CustomerRow> record, Kind kind, CustomerRow row, List<FieldChange> diffs) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        metrics.change(kind);
        return new Change(kind, row, diffs,
                meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(),
                record.timestamp());
    }

    private void forward(FixedKeyRecord<String, CustomerRow> record, List<Change> changes) {
        context.forward(record.withValue(new Detection(record.value(), changes, record.timestamp())));
    }

    /** Counted only: nothing is forwarded, so a row that builds nothing costs no write beyond its state. */
    private void suppress(FixedKeyRecord<String, CustomerRow> record, SuppressReason reason) {
        metrics.suppressed(reason.name());
    }
}
