package io.kdpipe.bench.pipeline;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerTopology;
import io.kdpipe.transformer.change.ChangeDetector;
import io.kdpipe.transformer.change.Detection;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.BuildNotice;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeBuilder;
import io.kdpipe.transformer.routing.DirectoryLookups;
import io.kdpipe.transformer.routing.DirectorySerde;
import io.kdpipe.transformer.routing.DirectoryUpdate;
import io.kdpipe.transformer.routing.RecipientResolver;
import io.kdpipe.transformer.serde.InternalSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * B1-work: the work the transformer cannot leave out, with the fewest writes it can have. Its own
 * classes read each row, tell its changes and keep the customer's state ({@link ChangeDetector}, the same
 * store and changelog), build each change's notice and route it through the directory
 * ({@link BuildNotice}), and write the notice as the notifier reads it: one notice record and one state
 * record per changed row. No trail and no digest stage, so it neither records why a notice was sent
 * nor folds bursts: it is no design for the product, but a bound for every design that does this work
 * on these cores with these classes. The transformer's Streams settings
 * ({@link TransformerTopology#streamsProperties}).
 */
public final class WorkTopology {

    private WorkTopology() {
    }

    public static Topology build(TransformerConfig config, TransformerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TransformerTopology.CUSTOMER_STATE_STORE),
                Serdes.String(), InternalSerdes.CUSTOMER_STATE.serde()));
        DirectoryLookups.Changes directoryChanges = new DirectoryLookups.Changes();
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(
                                Stores.persistentTimestampedKeyValueStore(TransformerTopology.DIRECTORY_STORE),
                                Serdes.String(), DirectorySerde.serde()).withLoggingDisabled(),
                config.topic(Topics.DIRECTORY),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("directory-source"),
                () -> new DirectoryUpdate(TransformerTopology.DIRECTORY_STORE, metrics, directoryChanges));
        NoticeBuilder notices = new NoticeBuilder(config.templates(), config.format(), config.zone(),
                new RecipientResolver(config.routing(), metrics), new MessageFitter(), metrics);
        builder.stream(config.topic(Topics.CUSTOMERS), Consumed.with(Serdes.String(), CustomerRow.CODEC.serde()).withName("rows-source"))
                .processValues(() -> new ChangeDetector(TransformerTopology.CUSTOMER_STATE_STORE, config.watchedFields(),
                        config.notifySnapshot(), config.labels(), metrics), Named.as("detect-changes"), TransformerTopology.CUSTOMER_STATE_STORE)
                .flatMapValues(Detection::changes, Named.as("each-change"))
                .processValues(() -> new BuildNotice(TransformerTopology.DIRECTORY_STORE, directoryChanges, notices), Named.as("build-notice"))
                .mapValues(built -> built.routed().notice(), Named.as("notice"))
                .to(config.topic(Topics.NOTICES), Produced.with(Serdes.String(), Notice.CODEC.serde()).withName("notices-sink"));
        return builder.build(TransformerTopology.streamsProperties(config, metrics));
    }
}
