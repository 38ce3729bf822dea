package io.kdpipe.common.trail;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;

/**
 * Everything a trail is assembled from, as read from the pipeline's topics. Notices, ledger entries
 * and dead letters are in the order they were written, across partitions (a notice redriven with
 * re-routing sits on another partition than the original).
 *
 * @param trail        {@code kdpipe.trail.v1}: notices built, with the rows behind them (and row verdicts of earlier versions)
 * @param notices      {@code dingtalk.notices.v1}: digests, resends and redriven copies included
 * @param deliveries   {@code dingtalk.deliveries.v1}
 * @param deadLetters  {@code dingtalk.notices.dlt.v1}, decoded
 * @param audit        {@code kdpipe.audit.v1}: replay and redrive runs
 * @param names        DingTalk userid → display name, from {@code dingtalk.directory.v1}
 * @param rows         {@code kingdee.customers.v1}: the asked-for customer's row versions, in the order they were written
 */
public record TrailSources(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
        List<DeadLetter> deadLetters, List<AuditRecord> audit, Map<String, String> names, List<RowVersion> rows) {

    /** Sources without row versions (a notice's trail needs none). */
    public TrailSources(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<DeadLetter> deadLetters, List<AuditRecord> audit, Map<String, String> names) {
        this(trail, notices, deliveries, deadLetters, audit, names, List.of());
    }

    /**
     * One version of the customer's row on {@code kingdee.customers.v1} (the topic is compacted: the
     * latest version per customer is always there, earlier ones until compaction removes them).
     *
     * @param customerKey  the record key
     * @param at           the record's timestamp (when it was extracted)
     * @param row          the row; null for a tombstone
     * @param processed    whether the transformer has committed past it (true when that cannot be told)
     */
    public record RowVersion(String customerKey, Instant at, CustomerRow row, boolean processed) {
    }

    /**
     * One notice dead letter.
     *
     * @param coordinate  {@code topic/partition/offset}, as redrive's audit records name it
     * @param at          when it was dead-lettered
     * @param errorClass  {@code PERMANENT}, {@code RETRY_DEADLINE}, …
     * @param reason      the notifier's reason ({@code INVALID_USER}, {@code NO_RECIPIENTS}, …)
     * @param errcode     DingTalk's errcode, when it answered with one
     * @param message     the error message
     */
    public record DeadLetter(String coordinate, Instant at, Notice notice, String errorClass, String reason,
            String errcode, String message) {
    }
}
