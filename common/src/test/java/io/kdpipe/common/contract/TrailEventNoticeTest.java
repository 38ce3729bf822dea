package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The notice inside a trail event, which one earlier version wrote, is an addition within version 1:
 * events without it still read, and it round-trips. Events written now carry it no more.
 */
class TrailEventNoticeTest {

    @Test
    void shouldCarryTheNoticeAndItsDigestLine() {
        Notice n = Samples.notice();
        TrailEvent event = TrailEvent.notice("A:1", n, Samples.row()).withNotice(n, "- 客户甲（C1）");
        TrailEvent read = TrailEvent.CODEC.decode(TrailEvent.CODEC.encode(event));
        assertThat(read).isEqualTo(event);
        assertThat(read.notice()).isEqualTo(n);
        assertThat(read.digestLine()).isEqualTo("- 客户甲（C1）");
        assertThat(read.withoutNotice()).isEqualTo(TrailEvent.notice("A:1", n, Samples.row()))
                .extracting(TrailEvent::notice).isNull();
        assertThat(read.withoutNotice().noticeId()).isEqualTo(n.id());
    }

    @Test
    void shouldWriteNoNoticeInsideTheEventsOfThisVersion() {
        String json = new String(TrailEvent.CODEC.encode(TrailEvent.notice("A:1", Samples.notice(), Samples.row())), StandardCharsets.UTF_8);
        assertThat(json).contains("\"noticeId\"").doesNotContain("\"notice\"").doesNotContain("digestLine");
    }

    @Test
    void shouldReadAnEventOfAnEarlierVersionWithoutANotice() {
        TrailEvent withNotice = TrailEvent.notice("A:1", Samples.notice(), Samples.row()).withNotice(Samples.notice(), "- line");
        TrailEvent earlier = TrailEvent.notice("A:1", Samples.notice());
        String json = new String(TrailEvent.CODEC.encode(earlier), StandardCharsets.UTF_8);
        assertThat(json).as("written as earlier versions wrote it").doesNotContain("\"notice\"").doesNotContain("digestLine");

        TrailEvent read = TrailEvent.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read.notice()).isNull();
        assertThat(read.digestLine()).isNull();
        assertThat(read.noticeId()).isEqualTo(withNotice.noticeId());
        assertThat(read.userIds()).isEqualTo(withNotice.userIds());
    }
}
