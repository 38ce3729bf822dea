package io.kdpipe.notifier.send;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.notifier.rate.MonthlyBudget;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery ledger as this replica knows it: every partition of {@code dingtalk.deliveries.v1},
 * read committed from the beginning. It answers "was this notice sent already?", feeds the monthly
 * budget with every replica's calls, and hands planned {@code getsendresult} checks to
 * {@link ResultChecks}. It catches up to the end before an assigned notice partition is processed,
 * and keeps tailing between polls.
 *
 * <p>Bounded: the ledger topic deletes entries after its retention, which is longer than the notice
 * topic's, and this view forgets sent ids older than {@code horizon} (a notice older than that can no
 * longer be read, so it cannot come again); the budget holds the current month only. Catching up
 * therefore reads at most a retention's worth of entries, however long the ledger has existed.
 */
final class LedgerView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LedgerView.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);

    /** Told of entries that plan a result check, and of entries that settle one. */
    interface CheckListener {
        void planned(int partition, DeliveryRecord record);

        void settled(String noticeId);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final MonthlyBudget budget;
    private final Duration horizon;
    private final Clock clock;
    private final Map<String, Instant> sent = new HashMap<>();
    private CheckListener checks;
    private List<TopicPartition> partitions = List.of();
    private Instant nextEviction = Instant.MIN;
    private long applied;

    /** @param consumer a read_committed consumer with no group; this view assigns it */
    LedgerView(Consumer<byte[], byte[]> consumer, String topic, MonthlyBudget budget, Duration horizon, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.budget = budget;
        this.horizon = horizon;
        this.clock = clock;
    }

    void listen(CheckListener listener) {
        this.checks = listener;
    }

    void start() {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUp();
    }

    /** Reads up to the ledger's current (last stable) end, however long that takes, reporting progress. */
    void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long started = System.nanoTime();
        long nextReport = started + PROGRESS_EVERY.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            consumer.poll(Duration.ofMillis(100)).forEach(this::apply);
            if (System.nanoTime() > nextReport) {
                log.info("Reading the delivery ledger {}: {} entries so far", topic, applied);
                nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
        }
        evict();
    }

    /** Takes whatever the ledger consumer has fetched meanwhile, without waiting. */
    void tail() {
        consumer.poll(Duration.ZERO).forEach(this::apply);
        if (clock.instant().isAfter(nextEviction)) {
            evict();
        }
    }

    boolean sent(String noticeId) {
        return sent.containsKey(noticeId);
    }

    /** This replica committed {@code record}; it shows in the ledger now, whether or not the tail has seen it. */
    void committed(int partition, DeliveryRecord record) {
        applyRecord(partition, record);
    }

    /** This replica committed the end of DingTalk's refusal this month. */
    void quotaMarkerRemoved() {
        budget.quotaBack();
    }

    int size() {
        return sent.size();
    }

    long applied() {
        return applied;
    }

    private void evict() {
        Instant oldest = clock.instant().minus(horizon);
        for (Iterator<Instant> it = sent.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(oldest)) {
                it.remove();
            }
        }
        nextEviction = clock.instant().plus(EVICT_EVERY);
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        applied++;
        if (r.value() == null) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (key.startsWith(DeliveryRecord.QUOTA_MARKER_PREFIX)) {
                budget.quotaBack();
            } else {
                sent.remove(key);
            }
            return;
        }
        Decoded<DeliveryRecord> d = DeliveryRecord.CODEC.tryDecode(r.value());
        if (d instanceof Decoded.Ok<DeliveryRecord> ok) {
            applyRecord(r.partition(), ok.value());
        }
    }

    private void applyRecord(int partition, DeliveryRecord record) {
        if (record.quotaMarker()) {
            budget.refusedByDingTalk(record.completedAt());
            return;
        }
        if (record.holdsBackResend() && record.completedAt().isAfter(clock.instant().minus(horizon))) {
            sent.put(record.noticeId(), record.completedAt());
        } else {
            sent.remove(record.noticeId());
        }
        budget.fromLedger(record.noticeId(), record.completedAt(), record.calls(),
                Math.max(0, record.calls() - record.taskIds().size()));
        if (checks != null) {
            if (record.checkDueAt() != null && record.delivery() == DeliveryRecord.Delivery.ACCEPTED) {
                checks.planned(partition, record);
            } else {
                checks.settled(record.noticeId());
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
