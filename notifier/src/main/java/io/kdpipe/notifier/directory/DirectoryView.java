package io.kdpipe.notifier.directory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DirectoryEntry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code dingtalk.directory.v1} read as a table: the latest entry per key, and the person entries
 * behind each DingTalk userid. Read from the beginning at start, then tailed between polls. Its
 * size is the directory's (the people and departments of the organisation).
 */
public final class DirectoryView implements AutoCloseable {

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<String, DirectoryEntry> byKey = new HashMap<>();
    private final Map<String, Set<String>> keysByUserId = new HashMap<>();
    private List<TopicPartition> partitions = List.of();

    /** @param consumer a consumer with no group; this view assigns it */
    public DirectoryView(Consumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    public void start() {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            consumer.poll(Duration.ofMillis(100)).forEach(this::apply);
        }
    }

    /** Takes whatever has been fetched meanwhile, without waiting. */
    public void tail() {
        consumer.poll(Duration.ZERO).forEach(this::apply);
    }

    /** The person entries mapped to {@code userId}, newest first. */
    public List<DirectoryEntry> personsWith(String userId) {
        Set<String> keys = keysByUserId.get(userId);
        if (keys == null) {
            return List.of();
        }
        List<DirectoryEntry> out = new ArrayList<>();
        keys.forEach(k -> out.add(byKey.get(k)));
        out.sort((a, b) -> b.updatedAt().compareTo(a.updatedAt()));
        return out;
    }

    /** Every person entry with a userid. */
    public List<DirectoryEntry> persons() {
        return byKey.values().stream().filter(e -> e.type() == DirectoryEntry.Type.PERSON && e.resolved()).toList();
    }

    /** This process wrote {@code entry}; it shows now, whether or not the tail has seen it. */
    public void written(DirectoryEntry entry) {
        put(entry.key(), entry);
    }

    public int size() {
        return byKey.size();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            put(key, null);
        } else if (DirectoryEntry.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DirectoryEntry> ok) {
            put(key, ok.value());
        }
    }

    private void put(String key, DirectoryEntry entry) {
        DirectoryEntry old = entry == null ? byKey.remove(key) : byKey.put(key, entry);
        if (old != null && old.userId() != null) {
            Set<String> keys = keysByUserId.get(old.userId());
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    keysByUserId.remove(old.userId());
                }
            }
        }
        if (entry != null && entry.type() == DirectoryEntry.Type.PERSON && entry.resolved()) {
            keysByUserId.computeIfAbsent(entry.userId(), k -> new HashSet<>()).add(key);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
