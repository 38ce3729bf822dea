package io.kdpipe.notifier.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.notifier.dingtalk.ResultCheck;
import io.kdpipe.notifier.dingtalk.UserLookup;
import io.kdpipe.notifier.dingtalk.WorkNotifier;
import io.kdpipe.notifier.directory.DirectoryView;
import io.kdpipe.notifier.directory.UserChecks;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import io.kdpipe.notifier.rate.SharedRateLimiter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads notices ({@code read_committed}) and hands each to {@link Delivery}, which sends it to
 * DingTalk once; its ledger entry commits together with the consumer offset in one Kafka transaction
 * ({@link LedgerTransaction}). Failures follow the {@link FailurePolicy}; planned {@code getsendresult}
 * checks run from {@link ResultChecks}; the directory's userids are checked for free on a schedule
 * ({@link UserChecks}).
 *
 * <ul>
 *   <li>A notice waiting for a retry pauses its partition; the loop keeps polling, so the group never
 *       rebalances for it.</li>
 *   <li>Rate answers ({@code 88}/{@code 90018}, {@code 90002}) and IP bans pause every send.</li>
 *   <li>When the monthly budget is used up, or DingTalk answers {@code 90020}, sending stops and
 *       readiness goes down ({@code deadLetterOverBudget}: notices are dead-lettered instead); after a
 *       {@code 90020} a probe notice goes every so often, and sending resumes when DingTalk accepts it
 *       or the month turns.</li>
 * </ul>
 *
 * <p>Not thread-safe: {@link #run()} owns the clients; {@link #stop()} may be called from any thread.
 */
public final class SendLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SendLoop.class);
    private static final Duration SLICE = Duration.ofMillis(500);
    private static final int SWEEP_BATCH = 10;

    /** Logged when the group took notice partitions away without a revoke, so nothing was committed for them. */
    static final String PARTITIONS_LOST_LOG = "Notice partitions lost without a commit:";

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

    /** The clients the loop owns. */
    public record Clients(Consumer<byte[], byte[]> notices, Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> ledger,
                          Consumer<byte[], byte[]> directory, Consumer<byte[], byte[]> fetcher) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> fetcherConsumer;
    private final LedgerView ledger;
    private final DirectoryView directory;
    private final UserChecks users;
    private final List<SharedRateLimiter> limiters;
    private final MonthlyBudget budget;
    private final SendSettings settings;
    private final Clock clock;
    private final HealthState live;
    private final HealthState budgetHealth;
    private final HealthState dingTalkHealth;
    private final FailurePolicy failures;
    private final QuotaWatch quota;
    private final LedgerTransaction tx;
    private final ResultChecks checks;
    private final Delivery delivery;
    private final NotifierMetrics metrics;

    private final Map<TopicPartition, ArrayDeque<InFlight>> queues = new LinkedHashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private Instant nextSweep = Instant.MIN;
    private volatile boolean running = true;
    private volatile boolean stopped;

    /**
     * @param clients   notices: subscribed by this loop, read_committed, auto-commit off; producer:
     *                  transactional ({@code initTransactions} is called by this loop); ledger, directory,
     *                  fetcher: consumers with no group (read_committed for the ledger)
     * @param limiters  the message limiter first, then any other limiter sharing the app's rate by partitions
     * @param contacts  the free contacts lookup
     */
    public SendLoop(Clients clients, WorkNotifier notifier, ResultChecker checker,
                    Function<String, UserLookup> contacts,
                    List<SharedRateLimiter> limiters, MonthlyBudget budget, NotifierMetrics metrics, SendSettings settings,
                    Clock clock, RandomGenerator random, SendHooks hooks, HealthState live, HealthState budgetHealth,
                    HealthState dingTalkHealth) {
        this.consumer = clients.notices();
        this.metrics = metrics;
        this.producer = clients.producer();
        this.fetcherConsumer = clients.fetcher();
        this.ledger = new LedgerView(clients.ledger(), settings.deliveriesTopic(), budget, settings.ledgerHorizon(), clock);
        this.directory = new DirectoryView(clients.directory(), settings.directoryTopic());
        this.users = new UserChecks(contacts, directory, settings.userCheckHorizon(), settings.userRecheckAfter(),
                settings.checkUsers());
        this.limiters = limiters;
        this.budget = budget;
        this.settings = settings;
        this.clock = clock;
        this.live = live;
        this.budgetHealth = budgetHealth;
        this.dingTalkHealth = dingTalkHealth;
        this.failures = new FailurePolicy(settings, clock, random, metrics, dingTalkHealth);
        this.quota = new QuotaWatch(budget, clock, settings);
        this.tx = new LedgerTransaction(producer, consumer, ledger, directory, metrics, settings.deliveriesTopic(),
                settings.directoryTopic(), this::readAgain);
        this.checks = new ResultChecks(checker, budget, metrics, settings, clock, random, users, this::fetch, failures);
        this.ledger.listen(checks);
        this.delivery = new Delivery(ledger, tx, notifier, budget, quota, users, checks, failures, metrics, settings, hooks, clock);
        metrics.bindQueues(checks::size, ledger::size);
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            directory.start();
            ledger.start();
            consumer.subscribe(List.of(settings.noticesTopic()), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(readyNow() ? Duration.ZERO : settings.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    queues.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(new InFlight(r));
                }
                ledger.tail();
                directory.tail();
                process();
                checks.run(consumer.assignment(), tx);
                sweep();
                tx.flush();
                updatePauses();
                updateHealth();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (Halt e) {
            log.warn("Send loop halted: {}", e.getMessage());
        } catch (RuntimeException e) {
            // fenced, out of sequence, not authorized or anything else: the loop stops and its liveness goes down
            fail(e);
        } catch (Error e) {
            // a JVM error (out of memory, a linkage failure) must not leave the loop dead behind a live process
            fail(e);
            throw e;
        } finally {
            stopped = true;
        }
    }

    private void fail(Throwable e) {
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
        closeQuietly(directory::close);
        closeQuietly(fetcherConsumer::close);
    }

    private static void closeQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.debug("close failed: {}", e.toString());
        }
    }

    // ---- polling

    private boolean holdForBudget() {
        return budget.exhausted() && !settings.deadLetterOverBudget() && !quota.probeDue();
    }

    private boolean readyNow() {
        if (holdForBudget() || failures.pausedNow()) {
            return false;
        }
        Instant now = clock.instant();
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
                if (failures.pausedNow()) {
                    return;
                }
                InFlight head = e.getValue().peek();
                if (head == null || clock.instant().isBefore(head.nextAttemptAt)) {
                    continue;
                }
                if (delivery.handle(e.getKey(), head)) {
                    e.getValue().poll();
                    progress = true;
                }
                if (tx.notices() >= settings.commitBatch() && !tx.flush()) {
                    // poll before the next send: after a stale-generation refusal the group has moved on,
                    // and the notices still queued here may belong to another member by now
                    return;
                }
            }
        }
    }

    /** The directory's userids, checked for free a few at a time, by the owner of notice partition 0 only. */
    private void sweep() {
        Instant now = clock.instant();
        if (settings.userSweepInterval().isZero() || now.isBefore(nextSweep) || failures.pausedNow()
                || consumer.assignment().stream().noneMatch(tp -> tp.partition() == 0)) {
            return;
        }
        nextSweep = now.plus(settings.userSweepInterval());
        tx.directory(users.sweep(now, SWEEP_BATCH));
    }

    /** After an aborted transaction: the partition's notices are read again from {@code offset}. */
    private void readAgain(TopicPartition tp, long offset) {
        queues.remove(tp);
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, offset);
        }
    }

    private ConsumerRecord<byte[], byte[]> fetch(TopicPartition tp, long offset) {
        fetcherConsumer.assign(List.of(tp));
        fetcherConsumer.seek(tp, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : fetcherConsumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return r;
                }
                if (r.offset() > offset) {
                    return null;
                }
            }
            if (fetcherConsumer.position(tp) > offset) {
                return null;
            }
        }
        return null;
    }

    // ---- partitions and health

    private void updatePauses() {
        boolean hold = holdForBudget();
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
        String mode = settings.deadLetterOverBudget() ? "dead-lettering" : "paused";
        if (budget.refused()) {
            budgetHealth.down("DingTalk says the quota is used up (errcode 90020 at " + budget.refusedAt() + "); " + mode
                    + ", kdpipe counted " + budget.used() + " of " + budget.limit() + " calls this month; next probe at "
                    + quota.nextProbeAt() + ", month resets at " + budget.resetsAt());
        } else if (budget.exhausted()) {
            budgetHealth.down("monthly DingTalk call budget used up (" + budget.used() + "/" + budget.limit() + "), " + mode
                    + " until " + budget.resetsAt());
        } else {
            budgetHealth.up();
        }
        if (!failures.pausedNow()) {
            dingTalkHealth.up();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            tx.flush();
            partitions.forEach(queues::remove);
            paused.removeAll(partitions);
            checks.revoked(partitions);
            // give the share up before the partitions' new owner can take it
            limiters.forEach(l -> l.share(consumer.assignment().size() - partitions.size()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            metrics.partitionsLost(partitions.size());
            log.warn("{} {} partitions; {} notices sent and not committed will be sent again by their next owner",
                    PARTITIONS_LOST_LOG, partitions.size(), tx.notices());
            tx.clear();
            partitions.forEach(queues::remove);
            paused.removeAll(partitions);
            checks.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ledger.catchUp();
            checks.assigned(partitions);
            limiters.forEach(l -> l.share(consumer.assignment().size()));
            SharedRateLimiter limiter = limiters.get(0);
            log.info("Assigned {} notice partitions; ledger holds {} sent notices, {} planned result checks; rate {} calls/s ({} permits)",
                    consumer.assignment().size(), ledger.size(), checks.size(), String.format("%.1f", limiter.currentRate()),
                    limiter.permits());
        }
    }
}
