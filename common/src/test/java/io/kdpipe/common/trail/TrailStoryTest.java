package io.kdpipe.common.trail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import org.junit.jupiter.api.Test;

/** The story and conclusion assembled from the trail with deliveries, dead letters and the audit log. */
class TrailStoryTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
    private static final TrailStory STORY = new TrailStory(SHANGHAI, NOW);

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

        AuditRecord redrive = audit("redrive", t.plusSeconds(60), Map.of("moved", List.of("dingtalk.notices.dlt.v1/0/0")));
        assertThat(conclusion(trail, List.of(original), List.of(), List.of(dead), List.of(redrive)))
                .startsWith("redriven 2026-11-28 10:01:00");

        DeliveryRecord sent = new DeliveryRecord(DeliveryRecord.VERSION, "n-1", DeliveryRecord.Status.SENT, List.of(123L),
                List.of("zhangwei"), 1, 1, t.plusSeconds(61), t.plusSeconds(62), t, null);
        List<DeliveryRecord> deliveries = new ArrayList<>(List.of(sent));
        assertThat(conclusion(trail, List.of(original), deliveries, List.of(dead), List.of(redrive)))
                .as("accepted is not delivered")
                .isEqualTo("accepted by DingTalk for 张伟 (zhangwei) 2026-11-28 10:01:02, task 123; not confirmed as delivered");

        Notice resend = notice("n-2", "n-1", t.plusSeconds(120));
        AuditRecord replay = audit("replay", t.plusSeconds(121), Map.of("noticeIds", List.of("n-1"), "resentIds", List.of("n-2")));
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

    /** As the change detector: a save that moved only FModifyDate leaves the version rows are compared with. */
    @Test
    void rowsAreComparedWithTheLastChangeNotWithASaveThatMovedOnlyModifyDate() {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        List<TrailSources.RowVersion> rows = List.of(
                version(1, t, "甲"),
                version(2, t.plusSeconds(120), "乙"),
                version(3, t.plusSeconds(240), "乙"),
                version(4, t.plusSeconds(180), "丙"),  // late, never seen, after the last change: compared, not out of order
                version(5, t.plusSeconds(60), "丁"));  // late, before the last change: out of order
        TrailSources sources = new TrailSources(List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), rows);
        Trail story = STORY.build(sources, customer("C1")).orElseThrow();
        assertThat(story.events()).filteredOn(e -> e.type().equals("suppressed")).extracting(Trail.Entry::text)
                .hasSize(5)
                .satisfies(texts -> {
                    assertThat(texts.get(2)).contains("only FModifyDate moved");
                    assertThat(texts.get(3)).contains("no watched field changed");
                    assertThat(texts.get(4)).contains("out of order");
                });
    }

    /** The {@code nth} row read, at minute {@code nth} after the saves, with its own FModifyDate. */
    private static TrailSources.RowVersion version(int nth, Instant modifiedAt, String name) {
        Instant read = Instant.parse("2026-11-28T03:00:00Z").plusSeconds(60L * nth);
        CustomerRow row = CustomerRow.of("A", "BD_Customer", "1", modifiedAt, read, CustomerRow.Phase.INCREMENTAL,
                Map.of("FNumber", TextNode.valueOf("C1"), "FName", TextNode.valueOf(name)));
        return new TrailSources.RowVersion("A:1", read, row, true);
    }

    private static String conclusion(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<TrailSources.DeadLetter> dead, List<AuditRecord> audit) {
        return STORY.build(sources(trail, notices, deliveries, dead, audit), customer("C1")).orElseThrow().conclusion();
    }

    private static TrailStory.Query customer(String number) {
        return new TrailStory.Query(number, null, null, 50, Duration.ofDays(90));
    }

    private static TrailSources sources(List<TrailEvent> trail, List<Notice> notices, List<DeliveryRecord> deliveries,
            List<TrailSources.DeadLetter> dead, List<AuditRecord> audit) {
        return new TrailSources(trail, notices, deliveries, dead, audit, Map.of("zhangwei", "张伟"));
    }

    private static Notice notice(String id, String replayOf, Instant at) {
        return new Notice(Notice.VERSION, id, Notice.Kind.CHANGED, List.of("A:1"),
                new Notice.Recipients(List.of("zhangwei"), List.of(), List.of()),
                Json.mapper().createObjectNode().put("msgtype", "text"),
                new Notice.Provenance("kingdee.customers.v1", 0, 0, Instant.parse("2026-11-28T02:00:00Z"), replayOf), at);
    }

    private static AuditRecord audit(String command, Instant at, Map<String, List<String>> lists) {
        return new AuditRecord(AuditRecord.VERSION, "r-" + command, command, "ops", "h", at, Map.of(), 0, 0,
                lists.get("noticeIds"), lists.get("resentIds"), lists.get("moved"), lists.get("parked"));
    }
}
