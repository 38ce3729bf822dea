package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.trail.Trail;
import io.kdpipe.common.trail.TrailSources;
import io.kdpipe.common.trail.TrailStory;
import org.junit.jupiter.api.Test;

/** What the transformer writes to the trail for each row, and the story told from it. */
class TrailTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
    private static final TrailStory STORY = new TrailStory(SHANGHAI, NOW);

    @Test
    void everyRowLeavesAVerdictAndEveryNoticeIsRecorded() {
        // the new salesperson only, so a change to one the directory lacks reaches nobody
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_ROUTE_CHANGED", "salesperson"))) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001").with("FSALDEPTID_FNumber", null).snapshot());
            h.send(Rows.customer("1001").with("FSALDEPTID_FNumber", null).minutesLater(1));
            h.send(Rows.customer("1001").with("FSALDEPTID_FNumber", null).with("FSELLER_FNumber", "XSY099").minutesLater(2));
            h.send(Rows.customer("1001").with("FSALDEPTID_FNumber", null).with("FName", "旧名").minutesLater(-5));

            List<TrailEvent> trail = h.trail.readValuesToList();
            assertThat(trail).allSatisfy(e -> assertThat(e.customerKey()).isEqualTo(Rows.key("1001")));
            assertThat(trail).extracting(TrailEvent::type, TrailEvent::suppressed)
                    .containsExactly(
                            tuple(TrailEvent.Type.ROW, "SNAPSHOT"),
                            tuple(TrailEvent.Type.ROW, "MODIFY_DATE_ONLY"),
                            tuple(TrailEvent.Type.ROW, null),
                            tuple(TrailEvent.Type.NOTICE, null),
                            tuple(TrailEvent.Type.ROW, "OUT_OF_ORDER"));
            assertThat(trail.get(0).number()).isEqualTo("C1001");
            assertThat(trail.get(0).org()).isEqualTo("100");
            assertThat(trail.get(2).kinds()).containsExactly("CHANGED");
            TrailEvent notice = trail.get(3);
            assertThat(notice.unresolved()).containsExactly("person:XSY099");
            assertThat(notice.noticeId()).isEqualTo(h.readNotices().get(0).id());

            Trail story = STORY.build(sources(trail, List.of(), List.of(), List.of(), List.of()), customer("C1001")).orElseThrow();
            assertThat(story.conclusion()).startsWith("not sent: out of order");
            assertThat(story.events()).hasSize(5);
            assertThat(story.text(SHANGHAI)).contains("no notice — noise-only edit (only FModifyDate moved)")
                    .contains("routing: salesperson XSY099 is not in the directory; no fallback step (department-manager, list) "
                            + "reached anyone");

            Trail upToTheChange = STORY.build(sources(trail.subList(0, 4), List.of(), List.of(), List.of(), List.of()),
                    customer("C1001")).orElseThrow();
            assertThat(upToTheChange.conclusion()).isEqualTo("not sent: salesperson XSY099 is not in the directory; "
                    + "no fallback step (department-manager, list) reached anyone");
        }
    }

    private static TrailStory.Query customer(String number) {
        return new TrailStory.Query(number, null, null, 50, Duration.ofDays(90));
    }

    private static TrailSources sources(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<TrailSources.DeadLetter> dead, List<AuditRecord> audit) {
        return new TrailSources(trail, notices, deliveries, dead, audit, Map.of("zhangwei", "张伟"));
    }
}
