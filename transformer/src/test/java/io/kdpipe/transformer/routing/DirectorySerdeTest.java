package io.kdpipe.transformer.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import io.kdpipe.common.contract.DirectoryEntry;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** The directory store's values are decoded once per distinct content, and an updated entry is read as updated. */
class DirectorySerdeTest {

    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void shouldDecodeTheSameBytesOnceAndAnUpdatedEntryAfresh() {
        Deserializer<DirectoryEntry> read = DirectorySerde.serde().deserializer();
        DirectoryEntry zhang = person("XSY007", "zhangwei");
        DirectoryEntry first = read.deserialize("t", DirectoryEntry.CODEC.encode(zhang));
        DirectoryEntry again = read.deserialize("t", DirectoryEntry.CODEC.encode(zhang));
        assertThat(first).isEqualTo(zhang);
        assertThat(again).as("remembered, not parsed again").isSameAs(first);

        DirectoryEntry moved = person("XSY007", "lisi");
        assertThat(read.deserialize("t", DirectoryEntry.CODEC.encode(moved))).isEqualTo(moved);
        assertThat(read.deserialize("t", null)).isNull();
    }

    @Test
    void shouldStayWithinItsBound() {
        Deserializer<DirectoryEntry> read = DirectorySerde.serde().deserializer();
        DirectoryEntry first = read.deserialize("t", DirectoryEntry.CODEC.encode(person("XSY000", "u0")));
        for (int i = 1; i <= DirectorySerde.MAX_ENTRIES; i++) {
            read.deserialize("t", DirectoryEntry.CODEC.encode(person("XSY" + i, "u" + i)));
        }
        DirectoryEntry after = read.deserialize("t", DirectoryEntry.CODEC.encode(person("XSY000", "u0")));
        assertThat(after).isEqualTo(first).as("decoded again after the memo started over").isNotSameAs(first);
    }

    private static DirectoryEntry person(String number, String userId) {
        return new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, "张伟", null, userId, null, T);
    }
}
