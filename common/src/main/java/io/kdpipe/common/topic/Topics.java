package io.kdpipe.common.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic kdpipe writes, declared once. */
public final class Topics {

    /**
     * Partitions of the notice and delivery topics: the ceiling on notifier and transformer replicas.
     * The two share a count so a notice and its ledger entry land on the same partition number.
     */
    public static final int PIPELINE_PARTITIONS = 6;

    /** The customer table as a log: the latest row per {@code {account}:{FCUSTID}} is kept. */
    public static final Topic<String, CustomerRow> CUSTOMERS = new Topic<>(
            "kingdee.customers.v1", Serdes.String(), CustomerRow.CODEC.serde(), PIPELINE_PARTITIONS,
            compacted());

    /** The extractor's checkpoint per job. */
    public static final Topic<String, Checkpoint> CHECKPOINTS = new Topic<>(
            "kdpipe.extractor.checkpoints.v1", Serdes.String(), Checkpoint.CODEC.serde(), 1,
            compacted());

    /** How long notices are kept. */
    public static final Duration NOTICES_RETENTION = Duration.ofDays(7);

    /**
     * How long ledger entries are kept: longer than the notices (a notice still readable always has its
     * entry) and than a month (the monthly budget is counted from it).
     */
    public static final Duration DELIVERIES_RETENTION = Duration.ofDays(35);

    /** Notices to send, keyed by recipient group; kept a week so they can be replayed. */
    public static final Topic<String, Notice> NOTICES = new Topic<>(
            "dingtalk.notices.v1", Serdes.String(), Notice.CODEC.serde(), PIPELINE_PARTITIONS,
            deleteAfter(NOTICES_RETENTION));

    /**
     * The delivery ledger, keyed by notice id: compacted to the latest entry per notice, and entries
     * older than {@link #DELIVERIES_RETENTION} deleted, so it stays bounded however long it runs.
     */
    public static final Topic<String, DeliveryRecord> DELIVERIES = new Topic<>(
            "dingtalk.deliveries.v1", Serdes.String(), DeliveryRecord.CODEC.serde(), PIPELINE_PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DELIVERIES_RETENTION.toMillis())));

    /** Notices that could not be delivered: original bytes plus context headers. */
    public static final Topic<byte[], byte[]> NOTICES_DLT = new Topic<>(
            "dingtalk.notices.dlt.v1", Serdes.ByteArray(), Serdes.ByteArray(), PIPELINE_PARTITIONS,
            deleteAfter(Duration.ofDays(30)));

    /** Rows the transformer could not read: original bytes plus context headers. */
    public static final Topic<byte[], byte[]> ROWS_DLT = new Topic<>(
            "kdpipe.rows.dlt.v1", Serdes.ByteArray(), Serdes.ByteArray(), PIPELINE_PARTITIONS,
            deleteAfter(Duration.ofDays(30)));

    /** Kingdee person and department numbers mapped to DingTalk ids. */
    public static final Topic<String, DirectoryEntry> DIRECTORY = new Topic<>(
            "dingtalk.directory.v1", Serdes.String(), DirectoryEntry.CODEC.serde(), 1,
            compacted());

    /**
     * What operators did with the {@code kdpipe} commands (replays, redrives): one record per run,
     * keyed by run id. Redrive reads it back to skip dead letters an earlier run already moved.
     */
    public static final Topic<String, AuditRecord> AUDIT = new Topic<>(
            "kdpipe.audit.v1", Serdes.String(), AuditRecord.CODEC.serde(), 1,
            deleteAfter(Duration.ofDays(365)));

    /** Dead letters redriven too often: kept as they were, for a person to look at. */
    public static final Topic<byte[], byte[]> PARKED = new Topic<>(
            "kdpipe.deadletters.parked.v1", Serdes.ByteArray(), Serdes.ByteArray(), 1,
            deleteAfter(Duration.ofDays(90)));

    /**
     * Each notice the transformer built, with the row behind it and the notice itself (and, from earlier
     * versions, a verdict per row version), kept 90 days. Keyed by the notice's recipient group: the
     * transformer's digest stage reads it back (events of earlier versions are keyed by customer key).
     * The trail reader finds a customer's events by their {@code customerKey} field and joins
     * deliveries, dead letters and the audit log to them by notice id.
     */
    public static final Topic<String, TrailEvent> TRAIL = new Topic<>(
            "kdpipe.trail.v1", Serdes.String(), TrailEvent.CODEC.serde(), PIPELINE_PARTITIONS,
            deleteAfter(Duration.ofDays(90)));

    /**
     * The extractor's job-ownership topic, never written: replicas join one consumer group on it, and
     * whoever is assigned partition {@code p} owns the jobs mapped to {@code p}. It has one partition
     * per configured job, so it is created with {@link #jobs(int)}, not with {@link #ALL}.
     */
    public static final Topic<byte[], byte[]> JOBS = new Topic<>(
            "kdpipe.extractor.jobs.v1", Serdes.ByteArray(), Serdes.ByteArray(), 1, Map.of());

    /** Every topic above except {@link #JOBS}, whose partition count depends on the configuration. */
    public static final List<Topic<?, ?>> ALL = List.of(
            CUSTOMERS, CHECKPOINTS, NOTICES, DELIVERIES, NOTICES_DLT, ROWS_DLT, DIRECTORY, AUDIT, PARKED, TRAIL);

    private Topics() {
    }

    /** {@link #JOBS} with one partition per job (at least one). */
    public static Topic<byte[], byte[]> jobs(int jobCount) {
        return new Topic<>(JOBS.baseName(), JOBS.keySerde(), JOBS.valueSerde(), Math.max(1, jobCount), JOBS.config());
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
    }
}
