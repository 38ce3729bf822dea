package io.kdpipe.notifier.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.common.contract.ContractException;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterClass;
import io.kdpipe.notifier.dingtalk.SendAnswer;
import io.kdpipe.notifier.dingtalk.Verdict;
import io.kdpipe.notifier.dingtalk.WorkNotifier;
import io.kdpipe.notifier.directory.UserChecks;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One notice's way to DingTalk: skipped when the ledger holds it, its recipients screened by the free
 * contacts check (departed and unknown userids dropped; nobody left: dead-lettered without a counted
 * call), sent in calls of up to 100 users and 20 departments, and recorded as accepted, with a
 * {@code getsendresult} check planned by policy.
 */
final class Delivery {

    private static final int MAX_USERIDS_PER_CALL = 100;
    private static final int MAX_DEPTS_PER_CALL = 20;

    private final LedgerView ledger;
    private final LedgerTransaction tx;
    private final WorkNotifier notifier;
    private final MonthlyBudget budget;
    private final QuotaWatch quota;
    private final UserChecks users;
    private final ResultChecks checks;
    private final FailurePolicy failures;
    private final NotifierMetrics metrics;
    private final SendSettings settings;
    private final SendHooks hooks;
    private final Clock clock;

    Delivery(LedgerView ledger, LedgerTransaction tx, WorkNotifier notifier, MonthlyBudget budget, QuotaWatch quota,
             UserChecks users, ResultChecks checks, FailurePolicy failures, NotifierMetrics metrics, SendSettings settings,
             SendHooks hooks, Clock clock) {
        this.ledger = ledger;
        this.tx = tx;
        this.notifier = notifier;
        this.budget = budget;
        this.quota = quota;
        this.users = users;
        this.checks = checks;
        this.failures = failures;
        this.metrics = metrics;
        this.settings = settings;
        this.hooks = hooks;
        this.clock = clock;
    }

    /** True when the notice is finished (sent, skipped or dead-lettered); false when it waits. */
    boolean handle(TopicPartition tp, InFlight f) {
        if (f.decoded instanceof Decoded.Failed<Notice> failed) {
            ContractException error = failed.error();
            deadLetter(tp, f, null, error.reason().name(), DeadLetterClass.UNDECODABLE, null, null, error.getClass().getName(), error.getMessage());
            return true;
        }
        Notice notice = ((Decoded.Ok<Notice>) f.decoded).value();
        if (ledger.sent(notice.id()) || tx.holds(notice.id())) {
            tx.offset(tp, f.record.offset());
            metrics.notice("skipped_in_ledger");
            return true;
        }
        if (notice.recipients().isEmpty()) {
            deadLetter(tp, f, notice, "NO_RECIPIENTS", DeadLetterClass.PERMANENT, null, null, null, "the notice names no DingTalk user or department");
            return true;
        }
        Instant now = clock.instant();
        if (f.screen == null) {
            f.screen = users.screen(notice.recipients().userIds(), now);
            tx.directory(f.screen.updates());
            metrics.contactsChecks(f.screen.lookups());
            f.screen.dropped().forEach((u, s) -> metrics.recipientDropped(s.name()));
        }
        List<String> userIds = f.screen.deliverable();
        if (userIds.isEmpty() && notice.recipients().deptIds().isEmpty()) {
            deadLetter(tp, f, notice, f.screen.reason(), DeadLetterClass.PERMANENT, null, f.screen.errcode(), null,
                    "the contacts API does not find " + String.join(", ", f.screen.dropped().keySet())
                            + " (" + f.screen.reason() + "); no counted call was made");
            return true;
        }
        boolean probe = false;
        if (budget.exhausted()) {
            if (!quota.probeDue()) {
                return overBudget(tp, f, notice);
            }
            probe = true;
        }
        if (f.firstAttemptAt == null) {
            f.firstAttemptAt = now;
        }
        f.attempts++;
        List<List<String>> userChunks = chunks(userIds, MAX_USERIDS_PER_CALL);
        List<List<String>> deptChunks = chunks(notice.recipients().deptIds(), MAX_DEPTS_PER_CALL);
        int calls = Math.max(userChunks.size(), deptChunks.size());
        for (int i = 0; i < calls; i++) {
            if (f.chunksDone.contains(i)) {
                continue;
            }
            if (budget.exhausted() && !probe) {
                return overBudget(tp, f, notice);
            }
            SendAnswer answer = notifier.send(i < userChunks.size() ? userChunks.get(i) : List.of(),
                    i < deptChunks.size() ? deptChunks.get(i) : List.of(), notice.msg());
            budget.spend(notice.id(), answer.calls());
            f.calls += answer.calls();
            Verdict v = answer.verdict();
            if (v.ok()) {
                quota.accepted(tx);
                probe = false;
                f.chunksDone.add(i);
                if (answer.taskId() != null) {
                    f.taskIds.add(answer.taskId());
                }
                continue;
            }
            return failed(tp, f, notice, v);
        }
        accepted(tp, f, notice, userIds);
        return true;
    }

    private boolean failed(TopicPartition tp, InFlight f, Notice notice, Verdict v) {
        return switch (failures.failed(f, v, notice.id())) {
            case RETRY_LATER -> false;
            case QUOTA -> {
                quota.refused(tx);
                yield overBudget(tp, f, notice);
            }
            case DEAD_LETTER -> {
                deadLetter(tp, f, notice, v.reason(), DeadLetterClass.PERMANENT, v, null, null, v.detail());
                yield true;
            }
            case RETRY_DEADLINE -> {
                deadLetter(tp, f, notice, v.reason(), DeadLetterClass.RETRY_DEADLINE, v, null, null,
                        "still failing after " + settings.deadline() + ": " + v.detail());
                yield true;
            }
        };
    }

    boolean overBudget(TopicPartition tp, InFlight f, Notice notice) {
        if (settings.deadLetterOverBudget()) {
            deadLetter(tp, f, notice, "BUDGET_EXHAUSTED", DeadLetterClass.BUDGET, f.lastFailure, null, null, budget.refused()
                    ? "DingTalk says the monthly quota is used up (90020)"
                    : "the monthly DingTalk call budget is used up (" + budget.used() + "/" + budget.limit() + ")");
            return true;
        }
        return false;
    }

    private void accepted(TopicPartition tp, InFlight f, Notice notice, List<String> userIds) {
        Instant now = clock.instant();
        hooks.sentNotCommitted(notice);
        DeliveryRecord.Verification dropped = f.screen.dropped().isEmpty() ? null
                : new DeliveryRecord.Verification(List.copyOf(f.screen.dropped().keySet()), List.of(), List.of(), now);
        Instant checkAt = f.taskIds.isEmpty() ? null : checks.plan(notice, now);
        DeliveryRecord record = new DeliveryRecord(DeliveryRecord.VERSION, notice.id(), DeliveryRecord.Status.SENT,
                f.taskIds, userIds, f.attempts, f.calls, f.firstAttemptAt, now, notice.provenance().sourceModifiedAt(), dropped,
                DeliveryRecord.Delivery.ACCEPTED, null, f.record.offset(), checkAt);
        tx.notice(tp, f.record.offset(), List.of(), record);
        if (checkAt != null) {
            tx.afterCommit(() -> checks.accepted(tp.partition(), record, f.record));
        }
        if (notice.provenance().sourceModifiedAt() != null) {
            metrics.freshness(Duration.between(notice.provenance().sourceModifiedAt(), now));
        }
        failures.succeeded();
        metrics.notice("accepted");
    }

    private void deadLetter(TopicPartition tp, InFlight f, Notice notice, String reason, DeadLetterClass errorClass, Verdict v, Long errcode,
                            String exceptionClass, String message) {
        if (f.firstFailureAt == null) {
            f.firstFailureAt = clock.instant();
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(failures.deadLetterRecord(f.record, reason, errorClass, v, errcode, exceptionClass, message, f.attempts,
                f.firstFailureAt));
        DeliveryRecord record = null;
        if (notice != null) {
            record = new DeliveryRecord(DeliveryRecord.VERSION, notice.id(), DeliveryRecord.Status.DEAD_LETTERED,
                    f.taskIds, notice.recipients().userIds(), f.attempts, f.calls, f.firstAttemptAt, clock.instant(),
                    notice.provenance().sourceModifiedAt(), null, DeliveryRecord.Delivery.NOT_DELIVERED, reason,
                    f.record.offset(), null);
        }
        tx.notice(tp, f.record.offset(), out, record);
        metrics.deadLetter(reason);
    }

    private static List<List<String>> chunks(List<String> ids, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += size) {
            out.add(ids.subList(i, Math.min(ids.size(), i + size)));
        }
        return out;
    }
}
