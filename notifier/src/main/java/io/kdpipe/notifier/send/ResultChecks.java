package io.kdpipe.notifier.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DeliveryRecord.Delivery;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterClass;
import io.kdpipe.notifier.dingtalk.Pause;
import io.kdpipe.notifier.dingtalk.ResultCheck;
import io.kdpipe.notifier.directory.UserChecks;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paid checks: {@code getsendresult} asked some time after a send (DingTalk fills its lists in only
 * once the task has finished), each a call counted toward the monthly quota.
 *
 * <p>Which notices: every one of the configured kinds; a sampled fraction; and otherwise as many as a
 * share of the monthly budget allows, spread over the month (the share times the part of the month
 * gone by, plus a day's worth). A check is planned in the ledger entry ({@code checkDueAt}), so it
 * survives a restart and is done by whichever replica owns the notice's partition.
 *
 * <p>What it concludes: {@code DELIVERED} when at least one recipient is listed as read or unread (a
 * same-content repeat, {@code 143106}, counts: the person has that content); {@code NOT_DELIVERED}
 * with the reason when nobody got it, and then the original notice is dead-lettered so it can be
 * redriven; still unfinished after a few tries, it stays {@code ACCEPTED}.
 */
final class ResultChecks implements LedgerView.CheckListener {

    private static final Logger log = LoggerFactory.getLogger(ResultChecks.class);
    private static final int MAX_TRIES = 3;
    private static final int PER_ROUND = 5;
    private static final Duration TASK_LIFETIME = Duration.ofHours(24);

    /** A planned check. {@code original} is null when it was planned before a restart. */
    private static final class Planned {
        final int partition;
        DeliveryRecord record;
        ConsumerRecord<byte[], byte[]> original;
        int tries;

        Planned(int partition, DeliveryRecord record, ConsumerRecord<byte[], byte[]> original) {
            this.partition = partition;
            this.record = record;
            this.original = original;
        }
    }

    /** Fetches a notice by its coordinates, for a check planned before a restart; null when it is gone. */
    @FunctionalInterface
    interface NoticeFetcher {
        ConsumerRecord<byte[], byte[]> fetch(TopicPartition tp, long offset);
    }

    private final SendLoop.ResultChecker checker;
    private final MonthlyBudget budget;
    private final NotifierMetrics metrics;
    private final SendSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final UserChecks users;
    private final NoticeFetcher fetcher;
    private final FailurePolicy failures;
    private final Map<String, Planned> planned = new HashMap<>();
    private final PriorityQueue<String> due;
    private final Set<String> inFlight = new HashSet<>();

    ResultChecks(SendLoop.ResultChecker checker, MonthlyBudget budget, NotifierMetrics metrics, SendSettings settings, Clock clock,
                 RandomGenerator random, UserChecks users, NoticeFetcher fetcher, FailurePolicy failures) {
        this.checker = checker;
        this.budget = budget;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.users = users;
        this.fetcher = fetcher;
        this.failures = failures;
        this.due = new PriorityQueue<>(Comparator.comparing((String id) -> planned.get(id).record.checkDueAt()));
    }

    /** When to check a notice just accepted, or null for no check. */
    Instant plan(Notice notice, Instant now) {
        if (checker == null) {
            return null;
        }
        boolean chosen = settings.verifyKinds().contains(notice.kind())
                || settings.verifySampleRate() > 0 && random.nextDouble() < settings.verifySampleRate()
                || withinShare();
        return chosen ? now.plus(settings.verifyDelay()) : null;
    }

    private boolean withinShare() {
        double share = settings.verifyBudgetShare() * budget.limit();
        double allowance = share * budget.monthElapsed() + share / 30;
        return budget.verifyUsed() + planned.size() < allowance;
    }

    /** The send loop committed {@code record} with a planned check; {@code original} is the notice as read. */
    void accepted(int partition, DeliveryRecord record, ConsumerRecord<byte[], byte[]> original) {
        if (record.checkDueAt() != null) {
            put(new Planned(partition, record, original));
        }
    }

    @Override
    public void planned(int partition, DeliveryRecord record) {
        Planned p = planned.get(record.noticeId());
        if (p == null) {
            put(new Planned(partition, record, null));
        } else if (!inFlight.contains(record.noticeId())) {
            due.remove(record.noticeId());
            p.record = record;
            due.add(record.noticeId());
        }
    }

    @Override
    public void settled(String noticeId) {
        if (planned.remove(noticeId) != null) {
            due.remove(noticeId);
        }
    }

    /** Partitions assigned to this replica: their planned checks become due here. */
    void assigned(Collection<TopicPartition> partitions) {
        Set<Integer> mine = new HashSet<>();
        partitions.forEach(tp -> mine.add(tp.partition()));
        planned.forEach((id, p) -> {
            if (mine.contains(p.partition) && !inFlight.contains(id) && !due.contains(id)) {
                due.add(id);
            }
        });
    }

    /** Forgets the checks of partitions this replica no longer owns. */
    void revoked(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.forEach(tp -> gone.add(tp.partition()));
        planned.values().removeIf(p -> gone.contains(p.partition) && !inFlight.contains(p.record.noticeId()));
        due.removeIf(id -> !planned.containsKey(id));
    }

    int size() {
        return planned.size();
    }

    private void put(Planned p) {
        String id = p.record.noticeId();
        if (planned.containsKey(id)) {
            due.remove(id);
        }
        planned.put(id, p);
        due.add(id);
    }

    /** Runs a few due checks of owned partitions; their findings go into {@code tx}. */
    void run(Set<TopicPartition> owned, LedgerTransaction tx) {
        Instant now = clock.instant();
        Set<Integer> ownedPartitions = new HashSet<>();
        owned.forEach(tp -> ownedPartitions.add(tp.partition()));
        List<String> skipped = new ArrayList<>();
        int done = 0;
        while (done < PER_ROUND && !due.isEmpty()) {
            String id = due.peek();
            Planned p = planned.get(id);
            if (p == null) {
                due.poll();
                continue;
            }
            if (p.record.checkDueAt().isAfter(now)) {
                break;
            }
            due.poll();
            if (!ownedPartitions.contains(p.partition) || inFlight.contains(id)) {
                continue; // another replica's, or being written: due here again on assignment or after the commit
            }
            if (budget.exhausted()) {
                skipped.add(id);
                break;
            }
            check(p, now, tx);
            done++;
        }
        due.addAll(skipped);
    }

    private void check(Planned p, Instant now, LedgerTransaction tx) {
        DeliveryRecord r = p.record;
        String id = r.noticeId();
        if (r.firstAttemptAt() != null && r.completedAt().isBefore(now.minus(TASK_LIFETIME))) {
            finish(p, r.checked(Delivery.ACCEPTED, null, r.verification(), 0, r.completedAt(), null), tx, null);
            return;
        }
        Map<String, String> why = new LinkedHashMap<>();
        Set<String> reached = new HashSet<>();
        List<String> invalid = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int calls = 0;
        for (long taskId : r.taskIds()) {
            ResultCheck c = checker.check(taskId);
            if (!c.verdict().ok()) {
                if (c.verdict().pause() == Pause.MONTHLY_QUOTA) {
                    budget.refusedByDingTalk();
                }
                log.debug("getsendresult for notice {} failed: {}", id, c.verdict().reason());
                retryLater(p, now, calls, tx);
                return;
            }
            calls++;
            budget.spend(id, 1, true);
            reached.addAll(c.reached());
            for (String u : c.invalid()) {
                invalid.add(u);
                why.put(u, DeliveryRecord.INVALID_USER);
            }
            for (String u : c.forbidden()) {
                String code = c.forbiddenCodes().getOrDefault(u, "");
                if (code.equals("143106")) {
                    reached.add(u); // the same content reached this person earlier today
                } else {
                    forbidden.add(u);
                    why.put(u, code.equals("143105") ? DeliveryRecord.DAILY_CAP : DeliveryRecord.FORBIDDEN);
                }
            }
            for (String u : c.failed()) {
                failed.add(u);
                why.put(u, DeliveryRecord.FAILED);
            }
        }
        metrics.verifiedUsers("invalid", invalid.size());
        metrics.verifiedUsers("forbidden", forbidden.size());
        metrics.verifiedUsers("failed", failed.size());
        List<String> unknown = r.userIds().stream().filter(u -> !reached.contains(u) && !why.containsKey(u)).toList();
        DeliveryRecord.Verification v = new DeliveryRecord.Verification(
                merge(r.verification() == null ? List.of() : r.verification().invalidUserIds(), invalid), forbidden, failed, now);
        if (!unknown.isEmpty() && reached.isEmpty() && p.tries + 1 < MAX_TRIES) {
            p.tries++;
            Instant next = now.plus(settings.verifyDelay().multipliedBy(1L << p.tries));
            DeliveryRecord again = r.checked(Delivery.ACCEPTED, null, r.verification(), calls, now, next);
            finish(p, again, tx, null);
            return;
        }
        if (!reached.isEmpty()) {
            finish(p, r.checked(Delivery.DELIVERED, null, v, calls, now, null), tx, null);
            metrics.delivery("delivered", "none");
            return;
        }
        if (why.isEmpty()) {
            finish(p, r.checked(Delivery.ACCEPTED, null, v, calls, now, null), tx, null);
            log.info("DingTalk had not finished task(s) {} of notice {} after {} checks; it stays accepted", r.taskIds(), id, MAX_TRIES);
            return;
        }
        String reason = mostCommon(why);
        why.forEach((u, w) -> {
            if (w.equals(DeliveryRecord.INVALID_USER)) {
                users.forget(u);
            }
        });
        DeliveryRecord notDelivered = r.checked(Delivery.NOT_DELIVERED, reason, v, calls, now, null);
        finish(p, notDelivered, tx, reason);
        metrics.delivery("not_delivered", reason);
    }

    private void retryLater(Planned p, Instant now, int calls, LedgerTransaction tx) {
        p.tries++;
        DeliveryRecord r = p.record;
        if (p.tries >= MAX_TRIES) {
            finish(p, r.checked(Delivery.ACCEPTED, null, r.verification(), calls, now, null), tx, null);
            return;
        }
        finish(p, r.checked(Delivery.ACCEPTED, null, r.verification(), calls, now,
                now.plus(settings.verifyDelay().multipliedBy(1L << p.tries))), tx, null);
    }

    private void finish(Planned p, DeliveryRecord updated, LedgerTransaction tx, String deadLetterReason) {
        String id = updated.noticeId();
        inFlight.add(id);
        tx.ledger(p.partition, updated);
        if (deadLetterReason != null) {
            ConsumerRecord<byte[], byte[]> original = p.original;
            if (original == null && updated.noticeOffset() != null) {
                original = fetcher.fetch(new TopicPartition(settings.noticesTopic(), p.partition), updated.noticeOffset());
            }
            if (original != null) {
                tx.record(failures.deadLetterRecord(original, deadLetterReason, DeadLetterClass.NOT_DELIVERED, null,
                        "getsendresult: not delivered to " + String.join(", ", updated.userIds()) + " (" + deadLetterReason + ")",
                        updated.attempts(), updated.firstAttemptAt()));
                metrics.deadLetter(deadLetterReason);
            } else {
                log.warn("Notice {} was not delivered ({}), and it is no longer in the notices topic to dead-letter; "
                        + "resend it with kdpipe replay", id, deadLetterReason);
            }
        }
        tx.afterCommit(() -> {
            inFlight.remove(id);
            if (updated.checkDueAt() == null) {
                settled(id);
            } else {
                Planned again = new Planned(p.partition, updated, p.original);
                again.tries = p.tries;
                put(again);
            }
        });
        tx.onAbort(() -> {
            inFlight.remove(id);
            if (planned.containsKey(id)) {
                due.remove(id);
                due.add(id);
            }
        });
    }

    private static List<String> merge(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(x -> !out.contains(x)).forEach(out::add);
        return out;
    }

    private static String mostCommon(Map<String, String> why) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        why.values().forEach(w -> counts.merge(w, 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
