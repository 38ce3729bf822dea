package io.kdpipe.notifier.send;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.notifier.rate.MonthlyBudget;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The delivery ledger as this replica knows it: every partition of {@code dingtalk.deliveries.v1},
 * read committed from the beginning. It answers "was this notice sent already?" and feeds the monthly
 * budget with every replica's calls. It catches up to the end before an assigned notice partition is
 * processed, and keeps tailing between polls.
 */
final class LedgerView implements AutoCloseable {

    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(2);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final MonthlyBudget budget;
    private final Set<String> sent = new HashSet<>();
    private List<TopicPartition> partitions = List.of();

    /** @param consumer a read_committed consumer with no group; this view assigns it */
    LedgerView(Consumer<byte[], byte[]> consumer, String topic, MonthlyBudget budget) {
        this.consumer = consumer;
        this.topic = topic;
        this.budget = budget;
    }

    void start() {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUp();
    }

    /** Reads up to the ledger's current (last stable) end. */
    void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The delivery ledger " + topic + " did not catch up within " + CATCH_UP_LIMIT);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(this::apply);
        }
    }

    /** Takes whatever the ledger consumer has fetched meanwhile, without waiting. */
    void tail() {
        consumer.poll(Duration.ZERO).forEach(this::apply);
    }

    boolean sent(String noticeId) {
        return sent.contains(noticeId);
    }

    /** This replica committed {@code record}; it shows in the ledger now, whether or not the tail has seen it. */
    void committed(DeliveryRecord record) {
        applyRecord(record);
    }

    int size() {
        return sent.size();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        Decoded<DeliveryRecord> d = DeliveryRecord.CODEC.tryDecode(r.value());
        if (d instanceof Decoded.Ok<DeliveryRecord> ok) {
            applyRecord(ok.value());
        }
    }

    private void applyRecord(DeliveryRecord record) {
        if (record.status() == DeliveryRecord.Status.SENT) {
            sent.add(record.noticeId());
        }
        budget.fromLedger(record.noticeId(), record.completedAt(), record.calls());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
