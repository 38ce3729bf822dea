package io.kdpipe.transformer.trail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topic;
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
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TrailEvent> trail = new ArrayList<>();
            readAll(consumer, Topics.TRAIL, r -> decode(TrailEvent.CODEC.tryDecode(r.value()), trail));
            List<Notice> notices = new ArrayList<>();
            readAll(consumer, Topics.NOTICES, r -> decode(Notice.CODEC.tryDecode(r.value()), notices));
            List<DeliveryRecord> deliveries = new ArrayList<>();
            readAll(consumer, Topics.DELIVERIES, r -> decode(DeliveryRecord.CODEC.tryDecode(r.value()), deliveries));
            List<TrailSources.DeadLetter> deadLetters = new ArrayList<>();
            readAll(consumer, Topics.NOTICES_DLT, r -> {
                if (r.value() != null && Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                    deadLetters.add(new TrailSources.DeadLetter(r.topic() + "/" + r.partition() + "/" + r.offset(),
                            Instant.ofEpochMilli(r.timestamp()), ok.value(),
                            DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS),
                            DeadLetterHeaders.text(r.headers(), "kdpipe.errors.reason"),
                            DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.DINGTALK_ERRCODE),
                            DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)));
                }
            });
            List<JsonNode> audit = new ArrayList<>();
            readAll(consumer, Topics.AUDIT, r -> {
                try {
                    if (r.value() != null) {
                        audit.add(Json.mapper().readTree(r.value()));
                    }
                } catch (java.io.IOException e) {
                    // not an audit record this reader understands: left out of the trail
                }
            });
            Map<String, String> names = new HashMap<>();
            readAll(consumer, Topics.DIRECTORY, r -> {
                if (r.value() != null && DirectoryEntry.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DirectoryEntry> ok
                        && ok.value().userId() != null && ok.value().name() != null) {
                    names.put(ok.value().userId(), ok.value().name());
                }
            });
            return new TrailSources(trail, notices, deliveries, deadLetters, audit, names);
        }
    }

    private static <T> void decode(Decoded<T> decoded, List<T> into) {
        if (decoded instanceof Decoded.Ok<T> ok) {
            into.add(ok.value());
        }
    }

    private void readAll(KafkaConsumer<byte[], byte[]> consumer, Topic<?, ?> topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        String name = topic.name(topicPrefix);
        List<PartitionInfo> infos = consumer.partitionsFor(name, timeout);
        if (infos == null || infos.isEmpty()) {
            return; // not created yet: nothing happened there
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(name, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("reading " + name + " took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                sink.accept(r);
            }
        }
        consumer.unsubscribe();
    }
}
