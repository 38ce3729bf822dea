package io.kdpipe.transformer;

import java.util.Properties;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.change.ChangeDetector;
import io.kdpipe.transformer.change.Detection;
import io.kdpipe.transformer.digest.DigestBuilder;
import io.kdpipe.transformer.digest.DigestProcessor;
import io.kdpipe.transformer.digest.HeldBytes;
import io.kdpipe.transformer.errors.DeadLetters;
import io.kdpipe.transformer.errors.RowDeserializationHandler;
import io.kdpipe.transformer.errors.RowProcessingHandler;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.BuildNotice;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeBuilder;
import io.kdpipe.transformer.routing.DirectoryLookups;
import io.kdpipe.transformer.routing.DirectorySerde;
import io.kdpipe.transformer.routing.DirectoryUpdate;
import io.kdpipe.transformer.routing.RecipientResolver;
import io.kdpipe.transformer.serde.InternalSerdes;
import io.kdpipe.transformer.trail.TrailNotices;
import io.kdpipe.transformer.trail.TrailWriter;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The transformer's topology, built the same way for production and for tests:
 *
 * <pre>
 * kingdee.customers.v1 ─ detect-changes [customer-state] ─ each-change
 *     ─ build-notice (routed by the global store [directory] of dingtalk.directory.v1, kept by DirectoryUpdate)
 *     ─ trail-notice (keyed by recipient group) ─ kdpipe.trail.v1
 *
 * kdpipe.trail.v1 ─ notices-from-trail ─ fold-digests [digest-windows, digest-pending] ─ dingtalk.notices.v1
 * </pre>
 *
 * A built notice is written once, as its trail event, in the same transaction as the customer's state
 * and the input offsets; the digest stage reads it back from the trail ({@code read_committed}), so
 * one recipient group's notices meet in one task without a repartition topic of their own.
 * Store and changelog names are part of the deployed state: renaming one loses it.
 * Their values use the compact {@link InternalSerdes} (binary, still reading the JSON of earlier versions).
 */
public final class TransformerTopology {

    public static final String CUSTOMER_STATE_STORE = "customer-state";
    public static final String DIRECTORY_STORE = "directory";
    public static final String DIGEST_WINDOWS_STORE = "digest-windows";
    public static final String DIGEST_PENDING_STORE = "digest-pending";

    /** {@code commit.interval.ms} unless {@code KAFKA_COMMIT_INTERVAL_MS} says otherwise. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

    /** The producers' {@code batch.size} unless {@code KAFKA_BATCH_SIZE} or {@code KAFKA_PRODUCER_BATCH_SIZE} says otherwise. */
    public static final int DEFAULT_PRODUCER_BATCH_BYTES = 256 * 1024;

    private TransformerTopology() {
    }

    public static Topology build(TransformerConfig config, TransformerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CUSTOMER_STATE_STORE),
                Serdes.String(), InternalSerdes.CUSTOMER_STATE.serde()));
        // the digest stores hold what lives a window at most: in memory, restored from their changelogs
        // (in RocksDB, values rewritten at every commit and deleted within a minute kept its background
        // flushes and compactions busy: bench B1); HeldBytes bounds them
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIGEST_WINDOWS_STORE),
                Serdes.String(), InternalSerdes.DIGEST_WINDOW.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIGEST_PENDING_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());

        DirectoryLookups.Changes directoryChanges = new DirectoryLookups.Changes();
        // added with a processor, so a restore from the topic goes through DirectoryUpdate as well:
        // an unreadable record never replaces the last readable entry, not even after a restart
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(DIRECTORY_STORE),
                                Serdes.String(), DirectorySerde.serde()).withLoggingDisabled(),
                config.topic(Topics.DIRECTORY),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("directory-source"),
                () -> new DirectoryUpdate(DIRECTORY_STORE, metrics, directoryChanges));

        NoticeBuilder notices = new NoticeBuilder(config.templates(), config.format(), config.zone(),
                new RecipientResolver(config.routing(), metrics), new MessageFitter(), metrics);
        DigestBuilder digests = new DigestBuilder(config.templates(), config.format(), config.zone(), new MessageFitter(),
                config.digest().maxItems());
        HeldBytes held = new HeldBytes(config.digest().maxHeldBytes());
        metrics.digestHeld(held::held, held.max());

        String trail = config.topic(Topics.TRAIL);
        Produced<String, TrailEvent> toTrail = Produced.with(Serdes.String(), TrailEvent.CODEC.serde()).withName("trail-notices-sink");
        // one trail event per notice, with the row behind it and the notice itself, keyed by recipient group;
        // a row that builds nothing writes no trail event
        builder.stream(config.topic(Topics.CUSTOMERS), Consumed.with(Serdes.String(), CustomerRow.CODEC.serde()).withName("rows-source"))
                .processValues(() -> new ChangeDetector(CUSTOMER_STATE_STORE, config.watchedFields(), config.notifySnapshot(),
                        config.labels(), metrics), Named.as("detect-changes"), CUSTOMER_STATE_STORE)
                .flatMapValues(Detection::changes, Named.as("each-change"))
                .processValues(() -> new BuildNotice(DIRECTORY_STORE, directoryChanges, notices), Named.as("build-notice"))
                .process(() -> new TrailWriter(config.applicationId()), Named.as("trail-notice"))
                .to(trail, toTrail);
        // the digest stage reads the notices back from the trail (read_committed, like any input under exactly-once):
        // one recipient group's notices are on one partition, so one task folds them; values are decoded only
        // for this application's events (TrailNotices)
        builder.stream(trail, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("trail-source"))
                .processValues(() -> new TrailNotices(config.applicationId()), Named.as("notices-from-trail"))
                .process(() -> new DigestProcessor(DIGEST_WINDOWS_STORE, DIGEST_PENDING_STORE,
                                InternalSerdes.ROUTED_NOTICE.serde(), (topic, bytes) -> InternalSerdes.decodeWithoutMessage(bytes),
                                config.digest(), held, digests, metrics),
                        Named.as("fold-digests"), DIGEST_WINDOWS_STORE, DIGEST_PENDING_STORE)
                .to(config.topic(Topics.NOTICES),
                        Produced.with(Serdes.String(), Notice.CODEC.serde()).withName("notices-sink"));
        return builder.build(streamsProperties(config, metrics));
    }

    /** The Streams settings; {@code KAFKA_*} passthrough first, so the ones below cannot be overridden. */
    public static Properties streamsProperties(TransformerConfig config, TransformerMetrics metrics) {
        Properties p = new Properties();
        p.putAll(config.kafka().clientProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        // a notice is written once with its input offsets and store updates, or not at all
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // store and changelog names (and those of any repartition topic) are deployed state; refuse generated ones
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // unreadable and unprocessable rows are dead-lettered and skipped rather than stopping the app
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RowDeserializationHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RowProcessingHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topic(Topics.ROWS_DLT));
        p.put(DeadLetters.METRICS_CONFIG, metrics);
        // every task reads one partition (each sub-topology has one source topic; the directory is a global store),
        // so there is no other input to wait for and nothing to order across inputs; at the default (0) Streams
        // formats a "waiting for data" text each time it looks at a task whose partition is drained (3 % of the
        // stream threads' time in B1's profile)
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // the digest stores are cached: a group's window and held notices reach their changelogs once per
        // commit, not once per notice. 100 ms, Streams' exactly-once default: a notice reaches the digest stage
        // only once the trail event that carries it is committed; in six B5 runs of both, its freshness p99 read
        // 6.54 to 7.01 s at 500 ms (once over its bound) and 6.39 to 6.57 s at 100 ms, while B1's rate at the two
        // differed by less than its repeats do (B1-commit500ms, B5-commit500ms); a closed window's digests ask
        // for a commit of their own (DigestProcessor)
        p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        // one produce request at a time: with transactions v2 every transaction starts each partition at
        // sequence 0 (the epoch is bumped at each commit), and a second batch sent before the first was
        // appended is refused with a retriable OutOfOrderSequenceException (KAFKA-18202) and sent again
        if (!p.containsKey(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)) {
            p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        }
        // with one request in flight, a request carries at most one batch per partition: batches of 256 KB (Kafka's
        // default is 16 KB) let each carry what gathered meanwhile, and cut the broker's and the producer's CPU
        // per row by half or more (bench B1 and its variants with other sizes)
        if (!p.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), DEFAULT_PRODUCER_BATCH_BYTES);
        }
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        if (config.kafka().replicationFactor() > 0 && !p.containsKey(StreamsConfig.REPLICATION_FACTOR_CONFIG)) {
            // internal topics get the same replication as the topics kdpipe creates
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        }
        return p;
    }
}
