package io.kdpipe.transformer.routing;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kdpipe.common.contract.DirectoryEntry;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value serde of the {@code directory} global store: {@link DirectoryEntry#CODEC}, with each decoded
 * entry remembered by its bytes. Routing reads the same few salespeople's entries for every notice; a
 * lookup whose bytes were decoded before returns that (immutable) entry without parsing JSON again. The
 * memo is keyed by content, so an updated entry (other bytes) is decoded afresh and nothing needs to be
 * invalidated. It holds at most {@link #MAX_ENTRIES} entries and starts over when full. Shared by the
 * stream threads, so it is a concurrent map.
 */
public final class DirectorySerde {

    static final int MAX_ENTRIES = 4096;

    private DirectorySerde() {
    }

    public static Serde<DirectoryEntry> serde() {
        Serde<DirectoryEntry> codec = DirectoryEntry.CODEC.serde();
        Map<ByteBuffer, DirectoryEntry> decoded = new ConcurrentHashMap<>();
        Deserializer<DirectoryEntry> memo = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer key = ByteBuffer.wrap(bytes);
            DirectoryEntry entry = decoded.get(key);
            if (entry == null) {
                entry = codec.deserializer().deserialize(topic, bytes);
                if (decoded.size() >= MAX_ENTRIES) {
                    decoded.clear();
                }
                decoded.put(key, entry);
            }
            return entry;
        };
        return Serdes.serdeFrom(codec.serializer(), memo);
    }
}
