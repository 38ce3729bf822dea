package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Notice#routing()} is an optional, compatible addition to the notice contract. */
class NoticeRoutingTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static Notice notice(Notice.Routing routing) {
        return new Notice(Notice.VERSION, "n-1", Notice.Kind.CHANGED, List.of("100:1"),
                new Notice.Recipients(List.of(), List.of(), List.of("person:XSY030")),
                Json.mapper().createObjectNode().put("msgtype", "text"),
                new Notice.Provenance("kingdee.customers.v1", 0, 1, T, null), T, routing);
    }

    @Test
    void aNoticeWithoutRoutingIsWrittenAsBeforeAndAnOldNoticeReadsWithoutIt() {
        byte[] plain = Notice.CODEC.encode(notice(null));
        assertThat(new String(plain, StandardCharsets.UTF_8)).doesNotContain("routing");
        assertThat(Notice.CODEC.decode(plain).routing()).isNull();
    }

    @Test
    void routingAndItsNotesSurviveTheTopic() {
        Notice routed = notice(new Notice.Routing(Notice.Kind.CHANGED, "XSY030", "XSY022", "BM01",
                List.of("salesperson XSY030 is not in the directory")));
        Notice back = Notice.CODEC.decode(Notice.CODEC.encode(routed));
        assertThat(back).isEqualTo(routed);
        assertThat(back.routing().sameInputs(routed.routing().withNotes(List.of()))).isTrue();
    }
}
