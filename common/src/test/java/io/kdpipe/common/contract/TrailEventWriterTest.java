package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The trail's JSON is written by hand; the shared mapper's output for the record is the reference, byte for byte. */
class TrailEventWriterTest {

    @Test
    void shouldWriteTheSameBytesAsTheSharedMapper() throws Exception {
        Notice n = Samples.notice();
        TrailEvent notice = TrailEvent.notice("A:1", n, Samples.row());
        List<TrailEvent> events = List.of(
                notice,
                notice.withNotice(n, "- 客户甲（C1）\"引号\" \\ \n\t\u0001"),
                new TrailEvent(TrailEvent.VERSION, "A:2", TrailEvent.Type.NOTICE, Instant.parse("2026-11-28T02:02:03Z"), "C2", "100",
                        CustomerRow.Phase.SNAPSHOT, Instant.parse("2026-11-28T02:02:03.000120Z"), List.of("CHANGED"), null, "XSY007",
                        "n-2", "CHANGED", List.of("u1", "u2"), List.of("4021"), List.of(), List.of("person XSY007: departed", "fallback")),
                TrailEvent.row("A:3", Instant.EPOCH, Samples.row(), List.of(), "MODIFY_DATE_ONLY"),
                TrailEvent.row("A:3", Instant.EPOCH, null, List.of(), "TOMBSTONE"),
                TrailEvent.notice("A:1", n));
        for (TrailEvent e : events) {
            String expected = new String(Json.mapper().writerFor(TrailEvent.class).writeValueAsBytes(e), StandardCharsets.UTF_8);
            assertThat(new String(TrailEvent.CODEC.encode(e), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(TrailEvent.CODEC.decode(TrailEvent.CODEC.encode(e))).isEqualTo(e);
        }
    }
}
