package io.kdpipe.notifier.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.notifier.directory.DirectoryView;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A ledger transaction whose offsets the group coordinator refuses, as it refuses a member with a stale generation. */
class LedgerTransactionTest {

    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    private static final TopicPartition NOTICES_1 = new TopicPartition("notices", 1);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MonthlyBudget budget = new MonthlyBudget(5000, ZoneId.of("Asia/Shanghai"), clock);
    private final LedgerView ledger = new LedgerView(new MockConsumer<>("earliest"), "deliveries", budget, Duration.ofDays(8), clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Map.Entry<TopicPartition, Long>> readAgain = new ArrayList<>();
    private final LedgerTransaction tx = new LedgerTransaction(producer, consumer, ledger,
            new DirectoryView(new MockConsumer<>("earliest"), "directory"), new NotifierMetrics(registry), "deliveries", "directory",
            (tp, offset) -> readAgain.add(Map.entry(tp, offset)));

    private static DeliveryRecord sent(String id, long offset) {
        return new DeliveryRecord(DeliveryRecord.VERSION, id, DeliveryRecord.Status.SENT, List.of(7L), List.of("user-0001"), 1, 1,
                NOW, NOW, null, null, DeliveryRecord.Delivery.ACCEPTED, null, offset, null);
    }

    @Test
    void shouldAbortAndReadTheBatchAgainWhenTheGroupRefusesItsOffsets() {
        producer.initTransactions();
        List<String> afterCommit = new ArrayList<>();
        tx.notice(NOTICES_1, 41, List.of(), sent("n-41", 41));
        tx.notice(NOTICES_1, 42, List.of(), sent("n-42", 42));
        tx.afterCommit(() -> afterCommit.add("ran"));
        producer.sendOffsetsToTransactionException = new CommitFailedException(
                "Transaction offset Commit failed due to consumer group metadata mismatch: The coordinator is not aware of this member.");

        assertThat(tx.flush()).as("the transaction was aborted").isFalse();

        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(producer.history()).as("nothing reached the ledger").isEmpty();
        assertThat(ledger.sent("n-41") || ledger.sent("n-42")).as("the ledger view was not told").isFalse();
        assertThat(afterCommit).isEmpty();
        assertThat(readAgain).as("the batch is read again from its first offset").containsExactly(Map.entry(NOTICES_1, 41L));
        assertThat(registry.find("kdpipe.notifier.transaction.failures").counter().count()).isEqualTo(1);

        producer.sendOffsetsToTransactionException = null;
        assertThat(tx.flush()).as("nothing is left to commit: the refused batch is not retried").isTrue();
        assertThat(producer.commitCount()).isZero();
        assertThat(tx.notices()).isZero();
    }

    @Test
    void shouldCommitTheLedgerEntriesWithTheOffsets() {
        producer.initTransactions();
        tx.notice(NOTICES_1, 41, List.of(), sent("n-41", 41));

        assertThat(tx.flush()).isTrue();

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.history()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(ledger.sent("n-41")).isTrue();
        assertThat(readAgain).isEmpty();
    }
}
