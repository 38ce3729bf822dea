package io.kdpipe.notifier.send;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import io.kdpipe.common.contract.ContractException;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.notifier.dingtalk.ErrorClass;
import io.kdpipe.notifier.dingtalk.Pause;
import io.kdpipe.notifier.dingtalk.ResultCheck;
import io.kdpipe.notifier.dingtalk.SendAnswer;
import io.kdpipe.notifier.dingtalk.Verdict;
import io.kdpipe.notifier.dingtalk.WorkNotifier;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import io.kdpipe.notifier.rate.SharedRateLimiter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads notices ({@code read_committed}), sends each to DingTalk once and commits its ledger entry
 * together with the consumer offset in one Kafka transaction.
 *
 * <ul>
 *   <li>A notice the ledger already holds as sent is skipped (its offset is still committed).</li>
 *   <li>A RETRY answer schedules another attempt with exponential backoff and jitter; its partition is
 *       paused meanwhile and the loop keeps polling, so the group never rebalances for it. Once the
 *       deadline after the first failure has passed, it is dead-lettered.</li>
 *   <li>A PERMANENT answer dead-letters at once. Dead letters carry the original key, value and
 *       headers plus Connect-style context, and a ledger entry so their calls count.</li>
 *   <li>Rate answers ({@code 88}/{@code 90018}, {@code 90002}) and IP bans pause every send.</li>
 *   <li>When the monthly budget is used up (or DingTalk answers {@code 90020}) sending stops and
 *       readiness goes down; with {@code deadLetterOverBudget} notices are dead-lettered instead.</li>
 * </ul>
 *
 * <p>Not thread-safe: {@link #run()} owns the clients; {@link #stop()} may be called from any thread.
 */
public final class SendLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SendLoop.class);
    private static final int MAX_USERIDS_PER_CALL = 100;
    private static final int MAX_DEPTS_PER_CALL = 20;
    private static final Duration SLICE = Duration.ofMillis(500);
    private static final Duration APP_RATE_PAUSE = Duration.ofSeconds(1);

    /** Thrown by a test hook to stop the loop dead, as a crash would: nothing more is committed. */
    public static final class Halt extends Error {
        private static final long serialVersionUID = 1L;

        public Halt(String why) {
            super(why);
        }
    }

    /** Asks {@code getsendresult} about a task. */
    @FunctionalInterface
    public interface ResultChecker {
        ResultCheck check(long taskId);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final LedgerView ledger;
    private final WorkNotifier notifier;
    private final ResultChecker checker;
    private final SharedRateLimiter limiter;
    private final MonthlyBudget budget;
    private final NotifierMetrics metrics;
    private final SendSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final SendHooks hooks;
    private final HealthState live;
    private final HealthState budgetHealth;
    private final HealthState dingTalkHealth;
    private final Backoff backoff;

    private final Map<TopicPartition, java.util.ArrayDeque<InFlight>> queues = new LinkedHashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Batch batch = new Batch();
    private Instant globalPauseUntil = Instant.MIN;
    private int globalPauses;
    private volatile boolean running = true;
    private volatile boolean stopped;

    /**
     * @param consumer  subscribed by this loop; read_committed, auto-commit off
     * @param producer  transactional; {@code initTransactions} is called by this loop
     * @param ledgerConsumer  a read_committed consumer with no group, for the ledger view
     */
    public SendLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> ledgerConsumer,
                    WorkNotifier notifier, ResultChecker checker, SharedRateLimiter limiter, MonthlyBudget budget,
                    NotifierMetrics metrics, SendSettings settings, Clock clock, RandomGenerator random, SendHooks hooks,
                    HealthState live, HealthState budgetHealth, HealthState dingTalkHealth) {
        this.consumer = consumer;
        this.producer = producer;
        this.ledger = new LedgerView(ledgerConsumer, settings.deliveriesTopic(), budget);
        this.notifier = notifier;
        this.checker = checker;
        this.limiter = limiter;
        this.budget = budget;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.hooks = hooks;
        this.live = live;
        this.budgetHealth = budgetHealth;
        this.dingTalkHealth = dingTalkHealth;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            ledger.start();
            consumer.subscribe(List.of(settings.noticesTopic()), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(readyNow() ? Duration.ZERO : settings.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    queues.computeIfAbsent(tp, k -> new java.util.ArrayDeque<>()).add(new InFlight(r));
                }
                ledger.tail();
                process();
                flush();
                updatePauses();
                updateHealth();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (Halt e) {
            log.warn("Send loop halted: {}", e.getMessage());
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            stopped = true;
        }
    }

    private void fail(Exception e) {
        log.error("Send loop stopped: {}", e.toString());
        live.down("send loop stopped: " + e.getClass().getSimpleName());
    }

    /** Asks the loop to finish its current notice and return. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    public boolean stopped() {
        return stopped;
    }

    /** Closes the clients; call after {@link #run()} has returned. */
    public void closeClients() {
        closeQuietly(consumer::close);
        closeQuietly(producer::close);
        closeQuietly(ledger::close);
    }

    private static void closeQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.debug("close failed: {}", e.toString());
        }
    }

    // ---- processing

    private boolean readyNow() {
        if (budget.exhausted() && !settings.deadLetterOverBudget()) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(globalPauseUntil)) {
            return false;
        }
        for (var q : queues.values()) {
            InFlight head = q.peek();
            if (head != null && !now.isBefore(head.nextAttemptAt)) {
                return true;
            }
        }
        return false;
    }

    private void process() {
        long sliceEnd = System.nanoTime() + SLICE.toNanos();
        boolean progress = true;
        while (progress && running && System.nanoTime() < sliceEnd) {
            progress = false;
            for (var e : new ArrayList<>(queues.entrySet())) {
                if (clock.instant().isBefore(globalPauseUntil)) {
                    return;
                }
                InFlight head = e.getValue().peek();
                if (head == null || clock.instant().isBefore(head.nextAttemptAt)) {
                    continue;
                }
                if (handle(e.getKey(), head)) {
                    e.getValue().poll();
                    progress = true;
                }
                if (batch.size() >= settings.commitBatch()) {
                    flush();
                }
            }
        }
    }

    /** True when the notice is finished (sent, skipped or dead-lettered); false when it waits. */
    private boolean handle(TopicPartition tp, InFlight f) {
        if (f.decoded instanceof Decoded.Failed<Notice> failed) {
            ContractException error = failed.error();
            deadLetter(tp, f, null, error.reason().name(), "UNDECODABLE", null, error.getClass().getName(), error.getMessage());
            return true;
        }
        Notice notice = ((Decoded.Ok<Notice>) f.decoded).value();
        if (ledger.sent(notice.id()) || batch.holds(notice.id())) {
            batch.offset(tp, f.record.offset());
            metrics.notice("skipped_in_ledger");
            return true;
        }
        if (notice.recipients().isEmpty()) {
            deadLetter(tp, f, notice, "NO_RECIPIENTS", "PERMANENT", null, null, "the notice names no DingTalk user or department");
            return true;
        }
        if (budget.exhausted()) {
            return overBudget(tp, f, notice);
        }
        Instant now = clock.instant();
        if (f.firstAttemptAt == null) {
            f.firstAttemptAt = now;
        }
        f.attempts++;
        List<List<String>> userChunks = chunks(notice.recipients().userIds(), MAX_USERIDS_PER_CALL);
        List<List<String>> deptChunks = chunks(notice.recipients().deptIds(), MAX_DEPTS_PER_CALL);
        int calls = Math.max(userChunks.size(), deptChunks.size());
        for (int i = 0; i < calls; i++) {
            if (f.chunksDone.contains(i)) {
                continue;
            }
            if (budget.exhausted()) {
                return overBudget(tp, f, notice);
            }
            SendAnswer answer = notifier.send(i < userChunks.size() ? userChunks.get(i) : List.of(),
                    i < deptChunks.size() ? deptChunks.get(i) : List.of(), notice.msg());
            budget.spend(notice.id(), answer.calls());
            f.calls += answer.calls();
            Verdict v = answer.verdict();
            if (v.ok()) {
                f.chunksDone.add(i);
                if (answer.taskId() != null) {
                    f.taskIds.add(answer.taskId());
                }
                continue;
            }
            return failed(tp, f, notice, v);
        }
        sent(tp, f, notice);
        return true;
    }

    private boolean failed(TopicPartition tp, InFlight f, Notice notice, Verdict v) {
        Instant now = clock.instant();
        f.lastFailure = v;
        if (f.firstFailureAt == null) {
            f.firstFailureAt = now;
        }
        pauseAll(v.pause(), now);
        if (v.pause() == Pause.MONTHLY_QUOTA) {
            budget.refusedByDingTalk();
            f.attempts--; // not the notice's fault
            return overBudget(tp, f, notice);
        }
        if (v.errorClass() == ErrorClass.PERMANENT) {
            deadLetter(tp, f, notice, v.reason(), "PERMANENT", v, null, v.detail());
            return true;
        }
        Instant deadline = f.firstFailureAt.plus(settings.deadline());
        if (!now.isBefore(deadline)) {
            deadLetter(tp, f, notice, v.reason(), "RETRY_DEADLINE", v, null,
                    "still failing after " + settings.deadline() + ": " + v.detail());
            return true;
        }
        Instant next = now.plus(backoff.delay(f.attempts));
        f.nextAttemptAt = next.isAfter(deadline) ? deadline : next;
        metrics.retry(v.reason());
        log.debug("Notice {} will be retried at {} after {} (attempt {})", notice.id(), f.nextAttemptAt, v.reason(), f.attempts);
        return false;
    }

    private boolean overBudget(TopicPartition tp, InFlight f, Notice notice) {
        if (settings.deadLetterOverBudget()) {
            deadLetter(tp, f, notice, "BUDGET_EXHAUSTED", "BUDGET", f.lastFailure, null,
                    "the monthly DingTalk call budget is used up (" + budget.used() + "/" + budget.limit() + ")");
            return true;
        }
        return false;
    }

    private void pauseAll(Pause pause, Instant now) {
        Duration d = switch (pause) {
            case NONE, MONTHLY_QUOTA -> Duration.ZERO;
            case APP_RATE -> APP_RATE_PAUSE.plusMillis(random.nextLong(250));
            case GLOBAL_RATE -> backoff.delay(++globalPauses).plus(APP_RATE_PAUSE);
            case TEMPORARY_BAN -> settings.temporaryBanPause();
            case IP_BAN -> settings.ipBanPause();
            case CREDENTIALS_REFUSED -> settings.maxBackoff();
        };
        if (d.isZero()) {
            return;
        }
        Instant until = now.plus(d);
        if (until.isAfter(globalPauseUntil)) {
            globalPauseUntil = until;
        }
        metrics.globalPause(pause.name(), globalPauseUntil);
        if (pause != Pause.APP_RATE && pause != Pause.GLOBAL_RATE) {
            dingTalkHealth.down("DingTalk " + pause.name() + ": every send paused until " + globalPauseUntil);
        }
        log.warn("DingTalk answered {}: pausing every send for {} ms", pause, d.toMillis());
    }

    private void sent(TopicPartition tp, InFlight f, Notice notice) {
        Instant now = clock.instant();
        DeliveryRecord.Verification verification = verify(notice, f);
        hooks.sentNotCommitted(notice);
        DeliveryRecord record = new DeliveryRecord(DeliveryRecord.VERSION, notice.id(), DeliveryRecord.Status.SENT,
                f.taskIds, notice.recipients().userIds(), f.attempts, f.calls, f.firstAttemptAt, now,
                notice.provenance().sourceModifiedAt(), verification);
        batch.add(tp, f.record.offset(), ledgerRecord(tp, record), record);
        if (notice.provenance().sourceModifiedAt() != null) {
            metrics.freshness(Duration.between(notice.provenance().sourceModifiedAt(), now));
        }
        if (globalPauses > 0) {
            globalPauses = 0;
        }
        metrics.notice("delivered");
    }

    private DeliveryRecord.Verification verify(Notice notice, InFlight f) {
        boolean chosen = settings.verifyKinds().contains(notice.kind())
                || settings.verifySampleRate() > 0 && random.nextDouble() < settings.verifySampleRate();
        if (!chosen || checker == null || f.taskIds.isEmpty()) {
            return null;
        }
        List<String> invalid = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        List<String> failedUsers = new ArrayList<>();
        for (long taskId : f.taskIds) {
            if (budget.exhausted()) {
                break;
            }
            ResultCheck check = checker.check(taskId);
            if (check.verdict().ok()) {
                budget.spend(notice.id(), 1);
                f.calls++;
            }
            invalid.addAll(check.invalid());
            forbidden.addAll(check.forbidden());
            failedUsers.addAll(check.failed());
        }
        metrics.verifiedUsers("invalid", invalid.size());
        metrics.verifiedUsers("forbidden", forbidden.size());
        metrics.verifiedUsers("failed", failedUsers.size());
        return new DeliveryRecord.Verification(invalid, forbidden, failedUsers, clock.instant());
    }

    private void deadLetter(TopicPartition tp, InFlight f, Notice notice, String reason, String errorClass, Verdict v,
                            String exceptionClass, String message) {
        ConsumerRecord<byte[], byte[]> r = f.record;
        if (f.firstFailureAt == null) {
            f.firstFailureAt = clock.instant();
        }
        DeadLetterHeaders h = DeadLetterHeaders.from(r.headers(), r.topic(), r.partition(), r.offset())
                .errorClass(errorClass)
                .stage("notifier.send")
                .put("kdpipe.errors.reason", reason)
                .attempts(f.attempts, f.firstFailureAt);
        h.exception(exceptionClass != null ? exceptionClass : "io.kdpipe.notifier.dingtalk." + reason, message);
        if (v != null) {
            h.dingTalk(v.errcode(), v.subCode());
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value(), h.build()));
        DeliveryRecord record = null;
        if (notice != null) {
            record = new DeliveryRecord(DeliveryRecord.VERSION, notice.id(), DeliveryRecord.Status.DEAD_LETTERED,
                    f.taskIds, notice.recipients().userIds(), f.attempts, f.calls, f.firstAttemptAt, clock.instant(),
                    notice.provenance().sourceModifiedAt(), null);
            out.add(ledgerRecord(tp, record));
        }
        batch.add(tp, r.offset(), out, record);
        metrics.deadLetter(reason);
        log.warn("Notice at {}-{}@{} dead-lettered: {} ({})", r.topic(), r.partition(), r.offset(), reason, errorClass);
    }

    private ProducerRecord<byte[], byte[]> ledgerRecord(TopicPartition tp, DeliveryRecord record) {
        // same partition number as the notice: the ledger is co-partitioned with the notices
        return new ProducerRecord<>(settings.deliveriesTopic(), tp.partition(),
                record.noticeId().getBytes(StandardCharsets.UTF_8), DeliveryRecord.CODEC.encode(record));
    }

    private static List<List<String>> chunks(List<String> ids, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += size) {
            out.add(ids.subList(i, Math.min(ids.size(), i + size)));
        }
        return out;
    }

    // ---- transactions

    /** Ledger entries, dead letters and offsets waiting for one transaction. */
    private final class Batch {
        private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final List<DeliveryRecord> ledgerEntries = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        private int notices;

        void add(TopicPartition tp, long offset, ProducerRecord<byte[], byte[]> record, DeliveryRecord entry) {
            add(tp, offset, List.of(record), entry);
        }

        void add(TopicPartition tp, long offset, List<ProducerRecord<byte[], byte[]>> out, DeliveryRecord entry) {
            records.addAll(out);
            if (entry != null) {
                ledgerEntries.add(entry);
                if (entry.status() == DeliveryRecord.Status.SENT) {
                    ids.add(entry.noticeId());
                }
            }
            offset(tp, offset);
        }

        void offset(TopicPartition tp, long offset) {
            firstOffsets.putIfAbsent(tp, offset);
            offsets.put(tp, new OffsetAndMetadata(offset + 1));
            notices++;
        }

        boolean holds(String noticeId) {
            return ids.contains(noticeId);
        }

        int size() {
            return notices;
        }

        void clear() {
            records.clear();
            ledgerEntries.clear();
            ids.clear();
            firstOffsets.clear();
            offsets.clear();
            notices = 0;
        }
    }

    private void flush() {
        if (batch.size() == 0) {
            return;
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : batch.records) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(batch.offsets, consumer.groupMetadata());
            producer.commitTransaction();
            batch.ledgerEntries.forEach(ledger::committed);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            metrics.transactionFailed();
            log.warn("Ledger transaction failed, its notices will be read again: {}", e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortError) {
                log.warn("Aborting the transaction failed: {}", abortError.toString());
            }
            Set<TopicPartition> assigned = consumer.assignment();
            batch.firstOffsets.forEach((tp, offset) -> {
                queues.remove(tp);
                if (assigned.contains(tp)) {
                    consumer.seek(tp, offset);
                }
            });
        } finally {
            batch.clear();
        }
    }

    // ---- partitions and health

    private void updatePauses() {
        boolean hold = budget.exhausted() && !settings.deadLetterOverBudget();
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> toPause = new ArrayList<>();
        List<TopicPartition> toResume = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            var q = queues.get(tp);
            boolean shouldPause = hold || q != null && !q.isEmpty();
            if (shouldPause && paused.add(tp)) {
                toPause.add(tp);
            } else if (!shouldPause && paused.remove(tp)) {
                toResume.add(tp);
            }
        }
        paused.retainAll(assigned);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    private void updateHealth() {
        if (budget.exhausted()) {
            budgetHealth.down("monthly DingTalk call budget used up (" + budget.used() + "/" + budget.limit()
                    + (settings.deadLetterOverBudget() ? "), dead-lettering" : "), paused") + " until " + budget.resetsAt());
        } else {
            budgetHealth.up();
        }
        if (!clock.instant().isBefore(globalPauseUntil)) {
            dingTalkHealth.up();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            flush();
            partitions.forEach(queues::remove);
            paused.removeAll(partitions);
            // give the share up before the partitions' new owner can take it
            limiter.share(consumer.assignment().size() - partitions.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            batch.clear();
            partitions.forEach(queues::remove);
            paused.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ledger.catchUp();
            limiter.share(consumer.assignment().size());
            log.info("Assigned {} notice partitions; ledger holds {} sent notices; rate {} calls/s ({} permits)",
                    consumer.assignment().size(), ledger.size(), String.format("%.1f", limiter.currentRate()), limiter.permits());
        }
    }
}
