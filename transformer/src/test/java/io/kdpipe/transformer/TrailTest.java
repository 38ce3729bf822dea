package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.trail.Trail;
import io.kdpipe.common.trail.TrailSources;
import io.kdpipe.common.trail.TrailStory;
import org.junit.jupiter.api.Test;

/**
 * What the transformer writes to the trail for each notice, and the story told from it with the row
 * versions (the story's handling of deliveries, dead letters and the audit log is in {@code TrailStoryTest}).
 */
class TrailTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
    private static final TrailStory STORY = new TrailStory(SHANGHAI, NOW);

    @Test
    void everyNoticeIsRecordedWithItsRowAndRowsThatBuildNothingAreToldFromTheRowsTopic() {
        // the new salesperson only, so a change to one the directory lacks reaches nobody
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_ROUTE_CHANGED", "salesperson"))) {
            h.person("XSY007", "zhangwei");
            List<CustomerRow> rows = List.of(
                    Rows.customer("1001").with("FSALDEPTID_FNumber", null).snapshot().build(),
                    Rows.customer("1001").with("FSALDEPTID_FNumber", null).minutesLater(1).build(),
                    Rows.customer("1001").with("FSALDEPTID_FNumber", null).with("FSELLER_FNumber", "XSY099").minutesLater(2).build(),
                    Rows.customer("1001").with("FSALDEPTID_FNumber", null).with("FName", "旧名").minutesLater(-5).build());
            rows.forEach(h::send);

            // one trail event, for the one notice: rows that build nothing write nothing
            List<TrailEvent> trail = h.trail.readValuesToList();
            assertThat(trail).extracting(TrailEvent::type).containsExactly(TrailEvent.Type.NOTICE);
            TrailEvent notice = trail.get(0);
            assertThat(notice.customerKey()).isEqualTo(Rows.key("1001"));
            assertThat(notice.number()).isEqualTo("C1001");
            assertThat(notice.org()).isEqualTo("100");
            assertThat(notice.salesperson()).isEqualTo("XSY099");
            assertThat(notice.kinds()).containsExactly("CHANGED");
            assertThat(notice.unresolved()).containsExactly("person:XSY099");
            assertThat(notice.noticeId()).isEqualTo(h.readNotices().get(0).id());

            // the rows topic holds the four versions, all processed; the notice's record timestamp is theirs
            List<TrailSources.RowVersion> versions = rows.stream()
                    .map(r -> new TrailSources.RowVersion(r.key(), notice.at(), r, true)).toList();
            Trail story = STORY.build(sources(trail, versions), customer("C1001")).orElseThrow();
            assertThat(story.conclusion()).startsWith("not sent: out of order");
            assertThat(story.events()).extracting(Trail.Entry::type)
                    .containsExactly("suppressed", "suppressed", "row", "notice", "suppressed");
            assertThat(story.text(SHANGHAI)).contains("(SNAPSHOT, salesperson XSY007): no notice — snapshot row, stored silently")
                    .contains("no notice — noise-only edit (only FModifyDate moved)")
                    .contains("(INCREMENTAL, salesperson XSY099): CHANGED")
                    .contains("routing: salesperson XSY099 is not in the directory; no fallback step (department-manager, list) "
                            + "reached anyone");

            Trail upToTheChange = STORY.build(sources(trail, versions.subList(0, 3)), customer("C1001")).orElseThrow();
            assertThat(upToTheChange.conclusion()).isEqualTo("not sent: salesperson XSY099 is not in the directory; "
                    + "no fallback step (department-manager, list) reached anyone");

            // a version the transformer has not committed past is waiting, not suppressed
            List<TrailSources.RowVersion> waiting = new ArrayList<>(versions.subList(0, 1));
            waiting.add(new TrailSources.RowVersion(rows.get(1).key(), notice.at(), rows.get(1), false));
            assertThat(STORY.build(sources(List.of(), waiting), customer("C1001")).orElseThrow().conclusion())
                    .startsWith("waiting for the transformer");

            // a customer whose rows all built nothing is still found, by its rows
            assertThat(STORY.build(sources(List.of(), versions.subList(0, 2)), customer("C1001")).orElseThrow().conclusion())
                    .startsWith("not sent: noise-only edit");
        }
    }

    @Test
    void theSameVersionAgainAndADeletedCustomerAreTold() {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        CustomerRow first = Rows.customer("1002").minutesLater(1).build();
        CustomerRow other = Rows.customer("1002").with("FShortName", "简称").minutesLater(2).build();
        List<TrailSources.RowVersion> versions = List.of(
                new TrailSources.RowVersion(first.key(), t, first, true),
                new TrailSources.RowVersion(first.key(), t.plusSeconds(1), first, true),
                new TrailSources.RowVersion(first.key(), t.plusSeconds(2), other, true),
                new TrailSources.RowVersion(first.key(), t.plusSeconds(3), null, true));
        Trail story = STORY.build(sources(List.of(), versions), customer("C1002")).orElseThrow();
        assertThat(story.text(SHANGHAI)).contains("the same row version again").contains("noise-only edit (no watched field changed)");
        assertThat(story.conclusion()).startsWith("not sent: customer deleted");
    }

    private static TrailStory.Query customer(String number) {
        return new TrailStory.Query(number, null, null, 50, Duration.ofDays(90));
    }

    private static TrailSources sources(List<TrailEvent> trail, List<TrailSources.RowVersion> rows) {
        return new TrailSources(trail, List.of(), List.of(), List.of(), List.of(), Map.of("zhangwei", "张伟"), rows);
    }
}
