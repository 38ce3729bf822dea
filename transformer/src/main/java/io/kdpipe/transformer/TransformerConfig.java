package io.kdpipe.transformer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.config.SharedSettings;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.transformer.change.FieldLabels;
import io.kdpipe.transformer.digest.DigestSettings;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.kdpipe.transformer.notice.NoticeTemplates;

/**
 * The transformer's validated settings.
 *
 * @param kafka            shared Kafka settings (bootstrap, topic prefix, {@code KAFKA_*} passthrough)
 * @param applicationId    {@code KDPIPE_TRANSFORMER_APPLICATION_ID}: Streams application id; names its
 *                         consumer group, transactional ids and internal topics
 * @param watchedFields    {@code KDPIPE_WATCHED_FIELDS}: fields whose change makes a CHANGED notice
 * @param notifySnapshot   {@code KDPIPE_NOTIFY_SNAPSHOT}: whether SNAPSHOT rows notify
 * @param format           {@code KDPIPE_NOTICE_FORMAT}: markdown or text
 * @param templates        templates from {@code KDPIPE_TEMPLATES_DIR} and {@code KDPIPE_TEMPLATE_*}
 * @param labels           field labels, defaults plus {@code KDPIPE_FIELD_LABELS}
 * @param zone             {@code KDPIPE_DISPLAY_ZONE}: zone times are shown in
 * @param routing          {@code KDPIPE_ROUTE_*} and {@code KDPIPE_RECIPIENTS_*}: who each kind of notice goes to
 * @param digest           {@code KDPIPE_DIGEST_*}
 * @param stateDir         {@code KDPIPE_STATE_DIR}: Streams state directory
 * @param streamThreads    {@code KDPIPE_STREAM_THREADS}, by default {@link #defaultStreamThreads()}
 * @param rocksDbMemoryMb  {@code KDPIPE_ROCKSDB_MEMORY_MB}: off-heap memory all RocksDB stores share
 * @param trailToken       {@code KDPIPE_TRAIL_TOKEN}: the bearer token {@code /trail} requires; without it
 *                         the endpoint is off
 */
public record TransformerConfig(
        KafkaConfig kafka,
        String applicationId,
        List<String> watchedFields,
        boolean notifySnapshot,
        NoticeFormat format,
        NoticeTemplates templates,
        FieldLabels labels,
        ZoneId zone,
        RoutingPolicy routing,
        DigestSettings digest,
        String stateDir,
        int streamThreads,
        int rocksDbMemoryMb,
        Optional<Secret> trailToken) {

    public static final String DEFAULT_WATCHED = "FNumber,FName,FShortName,FSELLER_FNumber,FSALDEPTID_FNumber,"
            + "FCustTypeId_FNumber,FGroup_FNumber,FSETTLETYPEID_FNumber,FRECCONDITIONID_FNumber,FCURRENCYID_FNumber,"
            + "FPRICELISTID_FNumber,FADDRESS,FTEL,FMarginLevel";

    public TransformerConfig {
        watchedFields = List.copyOf(watchedFields);
    }

    /** Reads every setting and throws one exception naming every problem. */
    public static TransformerConfig read(ConfigReader r) {
        KafkaConfig kafka = KafkaConfig.read(r);
        String appId = r.string(SharedSettings.TRANSFORMER_APPLICATION_ID, SharedSettings.DEFAULT_TRANSFORMER_APPLICATION_ID,
                "Kafka Streams application id (consumer group, transactional ids, internal topic names)");
        r.check(appId.matches("[A-Za-z0-9._-]+"), SharedSettings.TRANSFORMER_APPLICATION_ID, "may hold only letters, digits, '.', '_' and '-'");
        List<String> watched = r.list("KDPIPE_WATCHED_FIELDS", DEFAULT_WATCHED,
                "fields whose change makes a CHANGED notice (FDocumentStatus and FForbidStatus are always watched)");
        r.check(!watched.isEmpty(), "KDPIPE_WATCHED_FIELDS", "must name at least one field");
        boolean notifySnapshot = r.bool("KDPIPE_NOTIFY_SNAPSHOT", false, "whether SNAPSHOT rows send notices");
        NoticeFormat format = r.choice("KDPIPE_NOTICE_FORMAT", NoticeFormat.class, NoticeFormat.MARKDOWN, "markdown or text");
        Optional<String> dir = r.optional("KDPIPE_TEMPLATES_DIR",
                "directory of template files: created.md, created.title, created.txt, ..., digest.md, digest-item.md");
        NoticeTemplates templates = NoticeTemplates.read(r, dir.map(Path::of).orElse(null));
        Map<String, String> labels = new HashMap<>();
        for (String entry : r.list("KDPIPE_FIELD_LABELS", "", "extra field labels, FIELD=标签,FIELD2=标签2")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                r.check(false, "KDPIPE_FIELD_LABELS", "'" + entry + "' is not FIELD=label");
            } else {
                labels.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        ZoneId zone = r.zone("KDPIPE_DISPLAY_ZONE", "Asia/Shanghai", "zone times are shown in");

        RoutingPolicy routing = RoutingPolicy.read(r);

        boolean digestOn = r.bool("KDPIPE_DIGEST_ENABLED", true, "fold bursts per recipient group into digests");
        Duration window = r.duration("KDPIPE_DIGEST_WINDOW", Duration.ofSeconds(60), "digest window per recipient group");
        int threshold = r.integer("KDPIPE_DIGEST_THRESHOLD", 1, 0, 10_000,
                "notices of one window sent at once, so a burst is told as it starts; later ones wait for the window's digests");
        int maxItems = r.integer("KDPIPE_DIGEST_MAX_ITEMS", 100, 2, 500,
                "notices listed in one digest at most; DingTalk's 2048-byte message limit usually decides first");
        int maxPending = r.integer("KDPIPE_DIGEST_MAX_PENDING", 1000, 2, 100_000,
                "notices held per recipient group at most; reaching it sends digests early");
        int maxHeldKb = r.integer("KDPIPE_DIGEST_MAX_HELD_KB", 16 * 1024, 16, 4 * 1024 * 1024,
                "KiB of held notices one instance keeps in memory at most, all recipient groups together; "
                        + "reaching it sends the largest groups' digests early");
        Duration tick = r.duration("KDPIPE_DIGEST_TICK", Duration.ofSeconds(1), "how often due digest windows are looked for");
        r.check(!window.isZero(), "KDPIPE_DIGEST_WINDOW", "must be positive");
        r.check(!tick.isZero(), "KDPIPE_DIGEST_TICK", "must be positive");

        String stateDir = r.string("KDPIPE_STATE_DIR", System.getProperty("java.io.tmpdir") + "/kafka-streams",
                "Kafka Streams state directory (RocksDB stores)");
        // one per CPU the JVM sees (its container's limit): 1 in a 1-CPU pod
        int threads = r.integer("KDPIPE_STREAM_THREADS", defaultStreamThreads(), "CPUs the JVM sees", 1, 64,
                "Kafka Streams stream threads");
        // sized for a pod with a 256 MiB heap and 400 MB of memory in all
        int rocksDbMemory = r.integer("KDPIPE_ROCKSDB_MEMORY_MB", 32, 8, 65_536,
                "off-heap memory in MiB shared by all RocksDB state stores: one block cache, holding index/filter blocks and, "
                        + "for at most half of it, the write buffers");
        Optional<Secret> trailToken = r.optionalSecret("KDPIPE_TRAIL_TOKEN",
                "bearer token the /trail endpoint requires (it shows customers and salespeople); without it /trail is off");
        r.validate();
        return new TransformerConfig(kafka, appId, watched, notifySnapshot, format, templates, new FieldLabels(labels), zone,
                routing, new DigestSettings(digestOn, window, threshold, maxItems, maxPending,
                        maxHeldKb * 1024L, tick), stateDir, threads,
                rocksDbMemory, trailToken);
    }

    /** One stream thread per CPU the JVM sees (its container's CPU limit, or {@code -XX:ActiveProcessorCount}), at most 64. */
    public static int defaultStreamThreads() {
        return Math.min(64, Runtime.getRuntime().availableProcessors());
    }

    /** The name of a declared topic in this deployment. */
    public String topic(Topic<?, ?> topic) {
        return topic.name(kafka.topicPrefix());
    }
}
