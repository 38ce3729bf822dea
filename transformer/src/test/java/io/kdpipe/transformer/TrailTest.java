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

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.transformer.trail.Trail;
import io.kdpipe.transformer.trail.TrailSources;
import io.kdpipe.transformer.trail.TrailStory;
import org.junit.jupiter.api.Test;

/**
 * What the transformer writes to the trail for each notice, and the story and conclusion assembled from
 * it with the row versions, deliveries, dead letters and the audit log.
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

    @Test
    void theConclusionFollowsTheNoticeThroughDeadLetterRedriveDeliveryAndReplay() {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        Notice original = notice("n-1", null, t);
        List<TrailEvent> trail = List.of(
                new TrailEvent(TrailEvent.VERSION, "A:1", TrailEvent.Type.ROW, t, "C1", "100", null, t, List.of("CHANGED"),
                        null, "XSY007", null, null, List.of(), List.of(), List.of()),
                TrailEvent.notice("A:1", original));
        TrailSources.DeadLetter dead = new TrailSources.DeadLetter("dingtalk.notices.dlt.v1/0/0", t.plusSeconds(5), original,
                "PERMANENT", "INVALID_USER", "33012", "无效的USERID");
        assertThat(conclusion(trail, List.of(original), List.of(), List.of(dead), List.of()))
                .isEqualTo("dead-lettered 2026-11-28 10:00:05: INVALID_USER (errcode 33012), waiting for a redrive");

        JsonNode redrive = audit("redrive", t.plusSeconds(60), Map.of("moved", List.of("dingtalk.notices.dlt.v1/0/0")));
        assertThat(conclusion(trail, List.of(original), List.of(), List.of(dead), List.of(redrive)))
                .startsWith("redriven 2026-11-28 10:01:00");

        DeliveryRecord sent = new DeliveryRecord(DeliveryRecord.VERSION, "n-1", DeliveryRecord.Status.SENT, List.of(123L),
                List.of("zhangwei"), 1, 1, t.plusSeconds(61), t.plusSeconds(62), t, null);
        List<DeliveryRecord> deliveries = new ArrayList<>(List.of(sent));
        assertThat(conclusion(trail, List.of(original), deliveries, List.of(dead), List.of(redrive)))
                .as("accepted is not delivered")
                .isEqualTo("accepted by DingTalk for 张伟 (zhangwei) 2026-11-28 10:01:02, task 123; not confirmed as delivered");

        Notice resend = notice("n-2", "n-1", t.plusSeconds(120));
        JsonNode replay = audit("replay", t.plusSeconds(121), Map.of("noticeIds", List.of("n-1"), "resentIds", List.of("n-2")));
        assertThat(conclusion(trail, List.of(original, resend), deliveries, List.of(dead), List.of(redrive, replay)))
                .isEqualTo("resent by replay 2026-11-28 10:02:01 as n-2, waiting for the notifier");
        DeliveryRecord accepted = new DeliveryRecord(DeliveryRecord.VERSION, "n-2", DeliveryRecord.Status.SENT, List.of(124L),
                List.of("zhangwei"), 1, 1, t.plusSeconds(122), t.plusSeconds(123), t, null, null, null, 9L, t.plusSeconds(180));
        deliveries.add(accepted);
        assertThat(conclusion(trail, List.of(original, resend), deliveries, List.of(dead), List.of(redrive, replay)))
                .isEqualTo("accepted by DingTalk for 张伟 (zhangwei) 2026-11-28 10:02:03, task 124 (resend of n-1); "
                        + "not confirmed as delivered yet");
        deliveries.add(accepted.checked(DeliveryRecord.Delivery.DELIVERED, null,
                new DeliveryRecord.Verification(List.of(), List.of(), List.of(), t.plusSeconds(183)), 1, t.plusSeconds(183), null));
        TrailSources all = sources(trail, List.of(original, resend), deliveries, List.of(dead), List.of(redrive, replay));
        assertThat(STORY.build(all, customer("C1")).orElseThrow().conclusion())
                .isEqualTo("delivered to 张伟 (zhangwei) 2026-11-28 10:03:03, task 124 (resend of n-1)");

        Trail one = STORY.build(all, new TrailStory.Query(null, null, "n-1", 50, Duration.ofDays(90))).orElseThrow();
        assertThat(one.events()).extracting(Trail.Entry::type)
                .containsExactly("row", "notice", "dead-letter", "redrive", "accepted", "resend", "replay", "accepted", "delivered");
        Trail limited = STORY.build(all, new TrailStory.Query("C1", null, null, 3, Duration.ofDays(90))).orElseThrow();
        assertThat(limited.events()).hasSize(3);
        assertThat(limited.omitted()).isEqualTo(6);
        assertThat(STORY.build(all, customer("C404"))).isEmpty();
    }

    @Test
    void aNoticeDingTalkAcceptedForAGhostIsNeverConcludedDelivered() {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        Notice n = notice("n-1", null, t);
        List<TrailEvent> trail = List.of(
                new TrailEvent(TrailEvent.VERSION, "A:1", TrailEvent.Type.ROW, t, "C1", "100", null, t, List.of("CHANGED"),
                        null, "XSY007", null, null, List.of(), List.of(), List.of()),
                TrailEvent.notice("A:1", n));
        DeliveryRecord accepted = new DeliveryRecord(DeliveryRecord.VERSION, "n-1", DeliveryRecord.Status.SENT, List.of(123L),
                List.of("zhangwei"), 1, 1, t.plusSeconds(1), t.plusSeconds(2), t, null, null, null, 7L, t.plusSeconds(120));
        List<DeliveryRecord> deliveries = new ArrayList<>(List.of(accepted));
        assertThat(conclusion(trail, List.of(n), deliveries, List.of(), List.of())).startsWith("accepted by DingTalk for 张伟")
                .doesNotContain("delivered to");
        deliveries.add(accepted.checked(DeliveryRecord.Delivery.NOT_DELIVERED, DeliveryRecord.INVALID_USER,
                new DeliveryRecord.Verification(List.of("zhangwei"), List.of(), List.of(), t.plusSeconds(121)), 1, t.plusSeconds(121), null));
        assertThat(conclusion(trail, List.of(n), deliveries, List.of(), List.of()))
                .isEqualTo("not delivered to 张伟 (zhangwei): INVALID_USER (getsendresult 2026-11-28 10:02:01), dead-lettered, waiting for a redrive");
        Trail story = STORY.build(sources(trail, List.of(n), deliveries, List.of(), List.of()), customer("C1")).orElseThrow();
        assertThat(story.events()).extracting(Trail.Entry::type).containsExactly("row", "notice", "accepted", "not-delivered");
    }

    private static String conclusion(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<TrailSources.DeadLetter> dead, List<JsonNode> audit) {
        return STORY.build(sources(trail, notices, deliveries, dead, audit), customer("C1")).orElseThrow().conclusion();
    }

    private static TrailStory.Query customer(String number) {
        return new TrailStory.Query(number, null, null, 50, Duration.ofDays(90));
    }

    private static TrailSources sources(List<TrailEvent> trail, List<TrailSources.RowVersion> rows) {
        return new TrailSources(trail, List.of(), List.of(), List.of(), List.of(), Map.of("zhangwei", "张伟"), rows);
    }

    private static TrailSources sources(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<TrailSources.DeadLetter> dead, List<JsonNode> audit) {
        return new TrailSources(trail, notices, deliveries, dead, audit, Map.of("zhangwei", "张伟"));
    }

    private static Notice notice(String id, String replayOf, Instant at) {
        return new Notice(Notice.VERSION, id, Notice.Kind.CHANGED, List.of("A:1"),
                new Notice.Recipients(List.of("zhangwei"), List.of(), List.of()),
                Json.mapper().createObjectNode().put("msgtype", "text"),
                new Notice.Provenance("kingdee.customers.v1", 0, 0, Instant.parse("2026-11-28T02:00:00Z"), replayOf), at);
    }

    private static JsonNode audit(String command, Instant at, Map<String, List<String>> lists) {
        var node = Json.mapper().createObjectNode().put("command", command).put("at", at.toString())
                .put("user", "ops").put("host", "h").put("runId", "r-" + command);
        lists.forEach((k, v) -> v.forEach(node.putArray(k)::add));
        return node;
    }
}
