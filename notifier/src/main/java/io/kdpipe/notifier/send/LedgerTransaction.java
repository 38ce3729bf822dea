package io.kdpipe.notifier.send;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.notifier.directory.DirectoryView;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ledger entries, dead letters, directory updates and consumer offsets waiting for one Kafka
 * transaction. After a commit the ledger and directory views are told; after an abort the notices
 * of the batch are read again from their first offsets, and the work that carried no offset (result
 * checks, directory sweeps) is handed back through {@code onAbort} to be done again.
 */
final class LedgerTransaction {

    private static final Logger log = LoggerFactory.getLogger(LedgerTransaction.class);

    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final LedgerView ledger;
    private final DirectoryView directory;
    private final NotifierMetrics metrics;
    private final String deliveriesTopic;
    private final String directoryTopic;
    private final BiConsumer<TopicPartition, Long> onAbortSeek;

    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<Map.Entry<Integer, DeliveryRecord>> ledgerEntries = new ArrayList<>();
    private final List<DirectoryEntry> directoryEntries = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> onAbort = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private boolean quotaMarkerRemoved;
    private int notices;
    private int size;

    /** @param onAbortSeek  called per partition of the batch with the first offset to read again after an abort */
    LedgerTransaction(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, LedgerView ledger,
                      DirectoryView directory, NotifierMetrics metrics, String deliveriesTopic, String directoryTopic,
                      BiConsumer<TopicPartition, Long> onAbortSeek) {
        this.producer = producer;
        this.consumer = consumer;
        this.ledger = ledger;
        this.directory = directory;
        this.metrics = metrics;
        this.deliveriesTopic = deliveriesTopic;
        this.directoryTopic = directoryTopic;
        this.onAbortSeek = onAbortSeek;
    }

    /** A notice finished: {@code out} to write, its ledger {@code entry} (or null), and its offset to commit. */
    void notice(TopicPartition tp, long offset, List<ProducerRecord<byte[], byte[]>> out, DeliveryRecord entry) {
        records.addAll(out);
        if (entry != null) {
            ledger(tp.partition(), entry);
        }
        offset(tp, offset);
    }

    /** A notice skipped: only its offset is committed. */
    void offset(TopicPartition tp, long offset) {
        firstOffsets.putIfAbsent(tp, offset);
        offsets.put(tp, new OffsetAndMetadata(offset + 1));
        notices++;
        size++;
    }

    /** A ledger entry on {@code partition} (the notice's partition number: the ledger is co-partitioned). */
    void ledger(int partition, DeliveryRecord entry) {
        records.add(new ProducerRecord<>(deliveriesTopic, partition, entry.noticeId().getBytes(StandardCharsets.UTF_8),
                DeliveryRecord.CODEC.encode(entry)));
        ledgerEntries.add(Map.entry(partition, entry));
        if (entry.holdsBackResend()) {
            ids.add(entry.noticeId());
        }
        size++;
    }

    /** A record without a notice offset (a dead letter found by a later check, a marker). */
    void record(ProducerRecord<byte[], byte[]> record) {
        records.add(record);
        size++;
    }

    /** The end of DingTalk's refusal this month: the marker's tombstone. */
    void removeQuotaMarker(String key) {
        records.add(new ProducerRecord<>(deliveriesTopic, 0, key.getBytes(StandardCharsets.UTF_8), null));
        quotaMarkerRemoved = true;
        size++;
    }

    void directory(List<DirectoryEntry> entries) {
        for (DirectoryEntry e : entries) {
            records.add(new ProducerRecord<>(directoryTopic, e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e)));
            directoryEntries.add(e);
            size++;
        }
    }

    void afterCommit(Runnable r) {
        afterCommit.add(r);
    }

    void onAbort(Runnable r) {
        onAbort.add(r);
    }

    boolean holds(String noticeId) {
        return ids.contains(noticeId);
    }

    /** Notices in the batch. */
    int notices() {
        return notices;
    }

    /**
     * Commits everything; on a Kafka error aborts and arranges for the work to be done again. A
     * notifier whose group generation is stale (it was frozen or cut off past
     * {@code max.poll.interval.ms} or the session timeout, and its partitions went to another member)
     * has its offsets refused by the group coordinator with {@code CommitFailedException}: the
     * transaction aborts, so neither its ledger entries nor its offsets are committed.
     *
     * @return false when the transaction was aborted
     */
    boolean flush() {
        if (size == 0) {
            clear();
            return true;
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            ledgerEntries.forEach(e -> ledger.committed(e.getKey(), e.getValue()));
            directoryEntries.forEach(directory::written);
            if (quotaMarkerRemoved) {
                ledger.quotaMarkerRemoved();
            }
            afterCommit.forEach(Runnable::run);
            return true;
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
            firstOffsets.forEach(onAbortSeek);
            onAbort.forEach(Runnable::run);
            return false;
        } finally {
            clear();
        }
    }

    /** Forgets the batch (partitions lost: nothing of it may be committed). */
    void clear() {
        records.clear();
        ledgerEntries.clear();
        directoryEntries.clear();
        afterCommit.clear();
        onAbort.clear();
        ids.clear();
        firstOffsets.clear();
        offsets.clear();
        quotaMarkerRemoved = false;
        notices = 0;
        size = 0;
    }
}
