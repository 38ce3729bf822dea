package io.kdpipe.transformer.notice;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.transformer.change.Change;
import io.kdpipe.transformer.routing.DirectoryLookups;
import io.kdpipe.transformer.routing.Resolution;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Builds each change's notice, routed by the directory's global store as it stands when the change
 * is processed: the salesperson, the previous one and the department are all looked up there, as
 * the routing policy needs them.
 */
public final class BuildNotice implements FixedKeyProcessor<String, Change, BuiltNotice> {

    private final String directoryStore;
    private final NoticeBuilder builder;
    private final DirectoryLookups.Changes directoryChanges;
    private FixedKeyProcessorContext<String, BuiltNotice> context;
    private KeyValueStore<String, ?> directory;
    private DirectoryLookups lookups;

    public BuildNotice(String directoryStore, DirectoryLookups.Changes directoryChanges, NoticeBuilder builder) {
        this.directoryStore = directoryStore;
        this.directoryChanges = directoryChanges;
        this.builder = builder;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, BuiltNotice> context) {
        this.context = context;
        this.directory = context.getStateStore(directoryStore);
        this.lookups = new DirectoryLookups(directoryChanges, this::entry);
    }

    @Override
    public void process(FixedKeyRecord<String, Change> record) {
        context.forward(record.withValue(new BuiltNotice(record.value().row(), builder.build(new Resolution(record.value(), lookups::get)))));
    }

    private DirectoryEntry entry(String key) {
        Object value = directory.get(key);
        return value instanceof ValueAndTimestamp<?> timestamped ? (DirectoryEntry) timestamped.value() : (DirectoryEntry) value;
    }
}
