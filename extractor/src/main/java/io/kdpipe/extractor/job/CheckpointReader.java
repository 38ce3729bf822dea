package io.kdpipe.extractor.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.Decoded;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a job's last committed checkpoint. It reads the checkpoint topic {@code read_committed} up to
 * the log end as it was when asked, not just to the last stable offset: another job's open
 * transaction can hold the stable offset back, and stopping there could miss this job's newest
 * checkpoint. Call it after {@code initTransactions()}, which has settled this job's own open
 * transaction.
 */
public final class CheckpointReader implements JobWorker.Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(CheckpointReader.class);

    private final Admin admin;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;

    /**
     * @param consumers makes a {@code read_committed} consumer without a group
     */
    public CheckpointReader(Admin admin, Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.admin = admin;
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public Optional<Checkpoint> latest(String jobId) throws InterruptedException {
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = logEnd(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Checkpoint latest = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading checkpoints from " + topic + " did not reach " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!jobId.equals(r.key())) {
                        continue;
                    }
                    Decoded<Checkpoint> d = Checkpoint.CODEC.tryDecode(r.value());
                    if (d instanceof Decoded.Ok<Checkpoint> ok) {
                        latest = ok.value();
                    } else if (r.value() != null) {
                        log.warn("Skipping an unreadable checkpoint of job {} at offset {}: {}", jobId, r.offset(),
                                ((Decoded.Failed<Checkpoint>) d).error().getMessage());
                    } else {
                        latest = null; // a tombstone resets the job
                    }
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    private Map<TopicPartition, Long> logEnd(List<TopicPartition> partitions) throws InterruptedException {
        try {
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }
}
