package io.kdpipe.cli.operate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.SharedSettings;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline at a glance: consumer lag per service, each extraction job's watermark and last
 * checkpoint, dead letters waiting by reason, notices by what is known of their delivery, and the
 * DingTalk calls used this month against the budget (with DingTalk's own word when it has refused).
 * It only reads.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show consumer lag per service, extractor watermarks, dead letters by reason and the DingTalk budget.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe status",
                "      a table for people",
                "  kdpipe status --json | jq .dingtalk",
                "      the same as JSON, for scripts and alerts",
                "  kdpipe status --config /etc/kdpipe/prod.properties",
                "      read the services' settings (group ids, budget, zone) from their properties file",
                "",
                "Exit status: 0 done, 1 failed, 2 bad arguments, 4 Kafka unreachable."})
public final class StatusCommand extends OperateCommand {

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--extractor-metrics", paramLabel = "URL", split = ",",
            description = "the extractors' /metrics URLs, for each job's last successful poll "
                    + "(default: KDPIPE_EXTRACTOR_METRICS_URLS; without them only checkpoints are shown)")
    List<URI> extractorMetrics;

    /** Lag of one service's consumer group: committed offsets against the ends of the partitions it reads. */
    public record Lag(String service, String group, boolean hasOffsets, long lag, Map<String, Long> byTopic) {
    }

    /** One extraction job, from its latest checkpoint. */
    public record Job(String jobId, boolean snapshotComplete, LocalDateTime watermark, long rowsPublished,
            Instant lastCheckpointAt, Instant lastSuccessfulPollAt) {
    }

    /** Dead letters waiting (not yet redriven or parked) in one topic with one error class. */
    public record DeadLetters(String topic, String errorClass, long count) {
    }

    /**
     * DingTalk calls counted this month, from the delivery ledger. {@code refusedByDingTalk}: DingTalk
     * answered {@code 90020} this month and no call has succeeded since, so nothing is left whatever
     * the count says. {@code verifyUsed}: the {@code getsendresult} checks among the calls.
     */
    public record Budget(String month, String zone, long used, long budget, long remaining, boolean refusedByDingTalk,
                         Instant refusedAt, long verifyUsed) {
    }

    /** Notices by what is known of their delivery, from the ledger's latest entry per notice. */
    public record Deliveries(long accepted, long delivered, long notDelivered, Map<String, Long> notDeliveredByReason) {
    }

    public record Report(Instant at, List<Lag> lag, List<Job> extractorJobs, List<String> extractorMetricsProblems,
            List<DeadLetters> deadLetters, long deadLettersTotal, Budget dingtalk, Deliveries deliveries) {
    }

    @Override
    protected int run() {
        ConfigReader reader = connection.reader(context);
        KafkaConfig kafkaConfig = KafkaConfig.read(reader);
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("extractor", reader.string(SharedSettings.EXTRACTOR_GROUP_ID, SharedSettings.DEFAULT_EXTRACTOR_GROUP_ID, "the extractor's consumer group"));
        groups.put("transformer", reader.string(SharedSettings.TRANSFORMER_APPLICATION_ID, SharedSettings.DEFAULT_TRANSFORMER_APPLICATION_ID,
                "the transformer's Streams application id (its consumer group)"));
        groups.put("notifier", reader.string(SharedSettings.NOTIFIER_GROUP_ID, SharedSettings.DEFAULT_NOTIFIER_GROUP_ID, "the notifier's consumer group"));
        int budget = reader.integer(SharedSettings.DINGTALK_MONTHLY_BUDGET, SharedSettings.DEFAULT_DINGTALK_MONTHLY_BUDGET, 1, Integer.MAX_VALUE, "DingTalk calls per calendar month");
        ZoneId zone = reader.zone(SharedSettings.DINGTALK_QUOTA_ZONE, SharedSettings.DEFAULT_DINGTALK_QUOTA_ZONE, "zone of DingTalk's months");
        List<String> metricsUrls = reader.list("KDPIPE_EXTRACTOR_METRICS_URLS", "",
                "the extractors' /metrics URLs, for the last successful poll per job");
        reader.validate();
        List<URI> endpoints = new ArrayList<>();
        if (extractorMetrics != null) {
            endpoints.addAll(extractorMetrics);
        } else {
            for (String u : metricsUrls) {
                try {
                    endpoints.add(URI.create(u));
                } catch (IllegalArgumentException e) {
                    throw usage("KDPIPE_EXTRACTOR_METRICS_URLS: '" + u + "' is not a URL");
                }
            }
        }
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            ExtractorPolls.Result polls = ExtractorPolls.read(endpoints, connection.timeout());
            List<DeadLetters> dead = deadLetters(kafka);
            Map<String, DeliveryRecord> ledger = ledger(kafka);
            Report report = new Report(context.clock().instant(), lag(kafka, groups), jobs(kafka, polls.lastSuccess()),
                    polls.problems(), dead, dead.stream().mapToLong(DeadLetters::count).sum(), budget(ledger, budget, zone),
                    deliveries(ledger));
            if (json) {
                printJson(report);
            } else {
                printTable(report);
            }
            return ExitCodes.OK;
        }
    }

    private static List<Lag> lag(KafkaAccess kafka, Map<String, String> groups) {
        List<Lag> out = new ArrayList<>();
        groups.forEach((service, group) -> {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    kafka.get(kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> ends = kafka.endOffsets(committed.keySet().stream().map(TopicPartition::topic).distinct().toList());
            Map<String, Long> byTopic = new TreeMap<>();
            committed.forEach((tp, om) -> {
                if (om != null && ends.containsKey(tp)) {
                    byTopic.merge(tp.topic(), Math.max(0, ends.get(tp) - om.offset()), Long::sum);
                }
            });
            out.add(new Lag(service, group, !committed.isEmpty(), byTopic.values().stream().mapToLong(Long::longValue).sum(), byTopic));
        });
        return out;
    }

    private static List<Job> jobs(KafkaAccess kafka, Map<String, Instant> lastSuccess) {
        Map<String, Checkpoint> latest = new TreeMap<>();
        kafka.scan(kafka.name(Topics.CHECKPOINTS), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(key);
            } else if (Checkpoint.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Checkpoint> ok) {
                latest.put(key, ok.value());
            }
        });
        List<Job> out = new ArrayList<>();
        latest.values().forEach(c -> out.add(new Job(c.jobId(), c.snapshotComplete(), c.watermark(), c.rowsPublished(),
                c.committedAt(), lastSuccess.get(c.jobId()))));
        lastSuccess.forEach((job, at) -> {
            if (!latest.containsKey(job)) {
                out.add(new Job(job, false, null, 0, null, at));
            }
        });
        return out;
    }

    private static List<DeadLetters> deadLetters(KafkaAccess kafka) {
        Set<String> handled = new HashSet<>();
        for (AuditRecord a : AuditLog.readAll(kafka)) {
            if (AuditRecord.REDRIVE.equals(a.command())) {
                handled.addAll(a.moved());
                handled.addAll(a.parked());
            }
        }
        Map<List<String>, Long> counts = new TreeMap<>((a, b) -> (a.get(0) + "\u0000" + a.get(1)).compareTo(b.get(0) + "\u0000" + b.get(1)));
        for (String dlt : List.of(kafka.name(Topics.NOTICES_DLT), kafka.name(Topics.ROWS_DLT))) {
            kafka.scan(dlt, r -> {
                if (!handled.contains(RedriveCommand.Planned.coordinate(r))) {
                    String cls = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS);
                    counts.merge(List.of(r.topic(), cls == null ? "UNKNOWN" : cls), 1L, Long::sum);
                }
            });
        }
        List<DeadLetters> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new DeadLetters(k.get(0), k.get(1), n)));
        return out;
    }

    private static Map<String, DeliveryRecord> ledger(KafkaAccess kafka) {
        Map<String, DeliveryRecord> latest = new HashMap<>();
        kafka.scan(kafka.name(Topics.DELIVERIES), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(key);
            } else if (DeliveryRecord.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DeliveryRecord> ok) {
                latest.put(key, ok.value());
            }
        });
        return latest;
    }

    private Budget budget(Map<String, DeliveryRecord> latest, int budget, ZoneId zone) {
        YearMonth month = YearMonth.from(context.clock().instant().atZone(zone));
        List<DeliveryRecord> thisMonth = latest.values().stream()
                .filter(d -> YearMonth.from(d.completedAt().atZone(zone)).equals(month)).toList();
        long used = thisMonth.stream().mapToLong(DeliveryRecord::calls).sum();
        long verifyUsed = thisMonth.stream().filter(d -> !d.quotaMarker()).mapToLong(d -> Math.max(0, d.calls() - d.taskIds().size())).sum();
        DeliveryRecord marker = latest.get(DeliveryRecord.quotaMarkerKey(month));
        boolean refused = marker != null;
        return new Budget(month.toString(), zone.getId(), used, budget, refused ? 0 : Math.max(0, budget - used), refused,
                refused ? marker.completedAt() : null, verifyUsed);
    }

    private static Deliveries deliveries(Map<String, DeliveryRecord> latest) {
        long accepted = 0;
        long delivered = 0;
        long notDelivered = 0;
        Map<String, Long> reasons = new TreeMap<>();
        for (DeliveryRecord d : latest.values()) {
            if (d.quotaMarker()) {
                continue;
            }
            switch (d.delivery()) {
                case ACCEPTED -> accepted++;
                case DELIVERED -> delivered++;
                case NOT_DELIVERED -> {
                    notDelivered++;
                    reasons.merge(d.reason() == null ? "UNKNOWN" : d.reason(), 1L, Long::sum);
                }
            }
        }
        return new Deliveries(accepted, delivered, notDelivered, reasons);
    }

    private void printJson(Report report) {
        try {
            out().println(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void printTable(Report r) {
        out().println("Consumer lag");
        out().printf("  %-12s %-40s %10s%n", "SERVICE", "GROUP", "LAG");
        for (Lag l : r.lag()) {
            out().printf("  %-12s %-40s %10s%n", l.service(), l.group(), l.hasOffsets() ? String.valueOf(l.lag()) : "no offsets");
        }
        out().println();
        out().println("Extractor jobs");
        if (r.extractorJobs().isEmpty()) {
            out().println("  (no checkpoints)");
        } else {
            out().printf("  %-40s %-20s %-9s %10s %-24s %s%n", "JOB", "WATERMARK", "SNAPSHOT", "ROWS", "LAST CHECKPOINT",
                    "LAST POLL OK");
            for (Job j : r.extractorJobs()) {
                out().printf("  %-40s %-20s %-9s %10d %-24s %s%n", j.jobId(), j.watermark() == null ? "-" : j.watermark(),
                        j.snapshotComplete() ? "done" : "running", j.rowsPublished(),
                        j.lastCheckpointAt() == null ? "-" : j.lastCheckpointAt(),
                        j.lastSuccessfulPollAt() == null ? "-" : j.lastSuccessfulPollAt());
            }
        }
        r.extractorMetricsProblems().forEach(p -> out().println("  extractor metrics: " + p));
        out().println();
        out().println("Dead letters waiting: " + r.deadLettersTotal());
        for (DeadLetters d : r.deadLetters()) {
            out().printf("  %-40s %-20s %8d%n", d.topic(), d.errorClass(), d.count());
        }
        out().println();
        Deliveries d = r.deliveries();
        out().printf("Notices in the ledger: %d delivered (confirmed by getsendresult), %d accepted by DingTalk (not confirmed), "
                + "%d not delivered%n", d.delivered(), d.accepted(), d.notDelivered());
        d.notDeliveredByReason().forEach((reason, n) -> out().printf("  %-40s %8d%n", reason, n));
        out().println();
        Budget b = r.dingtalk();
        if (b.refusedByDingTalk()) {
            out().printf("DingTalk calls %s (%s): DingTalk says the quota is used up (errcode 90020 at %s); %d of %d counted by kdpipe, "
                    + "0 left%n", b.month(), b.zone(), b.refusedAt(), b.used(), b.budget());
        } else {
            out().printf("DingTalk calls %s (%s): %d of %d used, %d left%n", b.month(), b.zone(), b.used(), b.budget(), b.remaining());
        }
        out().printf("  of which getsendresult checks: %d%n", b.verifyUsed());
    }
}
