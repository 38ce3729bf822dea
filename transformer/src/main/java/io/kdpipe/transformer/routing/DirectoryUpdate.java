package io.kdpipe.transformer.routing;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the directory's global store from {@code dingtalk.directory.v1}: a readable entry replaces
 * the one under its key, a tombstone removes it, and an unreadable value is skipped and counted
 * ({@code stage=directory-skipped}) so the last readable entry for that key stays in force.
 *
 * <p>Kafka Streams runs this processor both while the application runs and when it rebuilds the
 * store from the topic (a global store added with a processor is restored by reprocessing), so a
 * malformed latest record never reaches the store, not even after a restart with a wiped state
 * directory.
 */
public final class DirectoryUpdate implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(DirectoryUpdate.class);

    private final String storeName;
    private final TransformerMetrics metrics;
    private final DirectoryLookups.Changes changes;
    private ProcessorContext<Void, Void> context;
    private TimestampedKeyValueStore<String, DirectoryEntry> store;

    /** @param changes counts every write, so the stream threads' copies of entries ({@link DirectoryLookups}) are dropped */
    public DirectoryUpdate(String storeName, TransformerMetrics metrics, DirectoryLookups.Changes changes) {
        this.storeName = storeName;
        this.metrics = metrics;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            skip("NO_KEY", "record has no key");
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            changes.changed();
            return;
        }
        Decoded<DirectoryEntry> decoded = DirectoryEntry.CODEC.tryDecode(record.value());
        if (decoded instanceof Decoded.Ok<DirectoryEntry> ok) {
            store.put(key, ValueAndTimestamp.make(ok.value(), record.timestamp()));
            changes.changed();
        } else if (decoded instanceof Decoded.Failed<DirectoryEntry> failed) {
            skip(failed.error().reason().name(), failed.error().getMessage());
        }
    }

    private void skip(String reason, String message) {
        String where = context.recordMetadata()
                .map(RecordMetadata::topic)
                .map(t -> t + "-" + context.recordMetadata().get().partition() + "@" + context.recordMetadata().get().offset())
                .orElse("?");
        log.warn("Skipping unreadable directory record at {} ({}): {}; the last readable entry for its key stays in force",
                where, reason, message);
        metrics.deadLetter("directory-skipped", reason);
    }
}
