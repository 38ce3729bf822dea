package io.kdpipe.common.trail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
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
import org.apache.kafka.common.KafkaException;
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
    private final String transformerGroup;
    private final Duration timeout;

    /**
     * @param clientProperties  Kafka client settings ({@code KafkaConfig.clientProperties()})
     * @param topicPrefix       prefix of every kdpipe topic
     * @param transformerGroup  the transformer's application id (its consumer group), to tell the row
     *                          versions it has processed from those still waiting; null when unknown
     * @param timeout           how long to wait for Kafka
     */
    public TrailReader(Map<String, Object> clientProperties, String topicPrefix, String transformerGroup, Duration timeout) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.topicPrefix = topicPrefix;
        this.transformerGroup = transformerGroup;
        this.timeout = timeout;
    }

    /**
     * Reads all sources; for a customer's trail also that customer's row versions on
     * {@code kingdee.customers.v1} (every row is decoded to find them, only theirs are kept).
     */
    public TrailSources read(TrailStory.Query query) {
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
        // every event is kept for the story: without the notice inside, which the notices topic also holds
        sinks.put(Topics.TRAIL.name(topicPrefix), r -> {
            if (TrailEvent.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<TrailEvent> ok) {
                trail.add(ok.value().withoutNotice());
            }
        });
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
        List<TrailSources.RowVersion> rows = new ArrayList<>();
        String rowsTopic = Topics.CUSTOMERS.name(topicPrefix);
        if (query.customer() != null) {
            Map<TopicPartition, Long> processedUpTo = processedUpTo(props, rowsTopic);
            Set<String> keys = new HashSet<>();
            sinks.put(rowsTopic, r -> {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                Long upTo = processedUpTo.get(new TopicPartition(r.topic(), r.partition()));
                boolean processed = upTo == null || r.offset() < upTo;
                Instant at = Instant.ofEpochMilli(r.timestamp());
                if (r.value() == null) {
                    if (keys.contains(key)) {
                        rows.add(new TrailSources.RowVersion(key, at, null, processed));
                    }
                } else if (CustomerRow.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<CustomerRow> ok
                        && query.customer().equals(ok.value().text("FNumber"))
                        && (query.org() == null || query.org().equals(ok.value().useOrg()))) {
                    keys.add(key);
                    rows.add(new TrailSources.RowVersion(key, at, ok.value(), processed));
                }
            });
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            readAll(consumer, sinks, rowsTopic);
        }
        notices.sort(Comparator.comparingLong(writtenAt::get));
        deliveries.sort(Comparator.comparingLong(writtenAt::get));
        deadLetters.sort(Comparator.comparing(TrailSources.DeadLetter::at));
        return new TrailSources(trail, notices, deliveries, deadLetters, audit, names, rows);
    }

    /**
     * Per partition of the rows topic, the transformer's committed offset: the versions below it are
     * processed. Empty when the group is unknown or cannot be asked (then every version counts as processed).
     */
    private Map<TopicPartition, Long> processedUpTo(Map<String, Object> props, String rowsTopic) {
        Map<TopicPartition, Long> upTo = new HashMap<>();
        if (transformerGroup == null) {
            return upTo;
        }
        Map<String, Object> groupProps = new HashMap<>(props);
        groupProps.put(ConsumerConfig.GROUP_ID_CONFIG, transformerGroup);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(groupProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(rowsTopic, timeout);
            if (infos == null) {
                return upTo;
            }
            Set<TopicPartition> partitions = new HashSet<>();
            infos.forEach(p -> partitions.add(new TopicPartition(rowsTopic, p.partition())));
            // committed() only fetches the group's offsets: it neither joins the group nor commits
            c.committed(partitions, timeout).forEach((tp, o) -> {
                if (o != null) {
                    upTo.put(tp, o.offset());
                }
            });
        } catch (KafkaException e) {
            upTo.clear();
        }
        return upTo;
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
    private void readAll(KafkaConsumer<byte[], byte[]> consumer, Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> sinks,
            String withTombstones) {
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
                if ((r.value() != null || r.topic().equals(withTombstones))
                        && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    sinks.get(r.topic()).accept(r);
                }
            }
        }
    }
}
