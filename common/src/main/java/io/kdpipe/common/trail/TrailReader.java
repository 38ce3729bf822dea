package io.kdpipe.common.trail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the topics a trail is assembled from, start to end, with a group-less {@code read_committed}
 * consumer. Undecodable records are skipped: the trail shows what can be read.
 */
public final class TrailReader {

    private final Map<String, Object> clientProperties;
    private final String topicPrefix;
    private final Duration timeout;

    /**
     * @param clientProperties  Kafka client settings ({@code KafkaConfig.clientProperties()})
     * @param topicPrefix       prefix of every kdpipe topic
     * @param timeout           how long to wait for Kafka
     */
    public TrailReader(Map<String, Object> clientProperties, String topicPrefix, Duration timeout) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.topicPrefix = topicPrefix;
        this.timeout = timeout;
    }

    /** Reads all sources. */
    public TrailSources read() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.keySet().removeIf(k -> k.startsWith("transactional") || k.equals(ConsumerConfig.GROUP_ID_CONFIG));
        // only what the services committed: an aborted transaction's notices never happened
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // the trail is read with assign(), never committed
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // reading up to known end offsets, not tailing: do not wait for more bytes to gather
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);

        List<TrailEvent> trail = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        List<DeliveryRecord> deliveries = new ArrayList<>();
        List<TrailSources.DeadLetter> deadLetters = new ArrayList<>();
        List<AuditRecord> audit = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> sinks = new HashMap<>();
        sinks.put(Topics.TRAIL.name(topicPrefix), r -> decode(TrailEvent.CODEC.tryDecode(r.value()), trail, null, 0));
        // a notice's records may sit on several partitions (a re-routed redrive writes it under its new
        // recipient group's key): notices and ledger entries are put in the order they were written
        Map<Object, Long> writtenAt = new IdentityHashMap<>();
        sinks.put(Topics.NOTICES.name(topicPrefix), r -> decode(Notice.CODEC.tryDecode(r.value()), notices, writtenAt, r.timestamp()));
        sinks.put(Topics.DELIVERIES.name(topicPrefix), r -> decode(DeliveryRecord.CODEC.tryDecode(r.value()), deliveries,
                writtenAt, r.timestamp()));
        sinks.put(Topics.NOTICES_DLT.name(topicPrefix), r -> {
            if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                deadLetters.add(new TrailSources.DeadLetter(r.topic() + "/" + r.partition() + "/" + r.offset(),
                        Instant.ofEpochMilli(r.timestamp()), ok.value(),
                        DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS),
                        DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON),
                        DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.DINGTALK_ERRCODE),
                        DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)));
            }
        });
        // an audit record this reader cannot decode is left out of the trail
        sinks.put(Topics.AUDIT.name(topicPrefix), r -> decode(AuditRecord.CODEC.tryDecode(r.value()), audit, null, 0));
        sinks.put(Topics.DIRECTORY.name(topicPrefix), r -> {
            if (DirectoryEntry.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DirectoryEntry> ok
                    && ok.value().userId() != null && ok.value().name() != null) {
                names.put(ok.value().userId(), ok.value().name());
            }
        });
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            readAll(consumer, sinks);
        }
        notices.sort(Comparator.comparingLong(writtenAt::get));
        deliveries.sort(Comparator.comparingLong(writtenAt::get));
        deadLetters.sort(Comparator.comparing(TrailSources.DeadLetter::at));
        return new TrailSources(trail, notices, deliveries, deadLetters, audit, names);
    }

    private static <T> void decode(Decoded<T> decoded, List<T> into, Map<Object, Long> writtenAt, long timestamp) {
        if (decoded instanceof Decoded.Ok<T> ok) {
            into.add(ok.value());
            if (writtenAt != null) {
                writtenAt.put(ok.value(), timestamp);
            }
        }
    }

    /** Reads every partition of the given topics from the start to the end offsets found at the start. */
    private void readAll(KafkaConsumer<byte[], byte[]> consumer, Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> sinks) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String name : sinks.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(name, timeout);
            if (infos != null) { // a topic not created yet: nothing happened there
                infos.forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("reading the trail's topics took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() != null && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    sinks.get(r.topic()).accept(r);
                }
            }
        }
    }
}
