package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.routing.Router;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.transformer.notice.RoutedNotice;
import io.kdpipe.transformer.serde.InternalSerdes;
import io.kdpipe.transformer.trail.TrailWriter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The digest stage reads the notices from their trail events: a built notice is written once, as its
 * trail event keyed by recipient group with the notice in a header, and what reaches
 * {@code dingtalk.notices.v1} is what that event carries. Events of the previous version, with the
 * notice inside their JSON, still feed it; events without a notice (earlier versions) and the events of
 * another application on the same topics are not folded.
 */
class TrailFeedsDigestsTest {

    @Test
    void aNoticeReachesTheNoticesTopicThroughItsTrailEventKeyedByRecipientGroup() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FDocumentStatus", "C").minutesLater(1));

            List<TestRecord<String, TrailEvent>> trail = h.trail.readRecordsToList();
            List<TestRecord<String, Notice>> out = h.readNoticeRecords();
            assertThat(trail).hasSize(2);
            assertThat(out).hasSize(2);
            for (int i = 0; i < 2; i++) {
                TrailEvent event = trail.get(i).value();
                Notice sent = out.get(i).value();
                RoutedNotice carried = InternalSerdes.ROUTED_NOTICE.decode(
                        trail.get(i).headers().lastHeader(TrailWriter.NOTICE_HEADER).value());
                assertThat(carried.notice()).as("the trail event carries the notice as sent").isEqualTo(sent);
                assertThat(carried.digestLine()).isNotBlank();
                assertThat(event.notice()).as("in its header, not in the event's JSON").isNull();
                assertThat(event.noticeId()).isEqualTo(sent.id());
                assertThat(event.userIds()).isEqualTo(sent.recipients().userIds());
                assertThat(event.customerKey()).as("the customer is in the event, not in the key").isEqualTo(Rows.key("1001"));
                assertThat(trail.get(i).key()).isEqualTo(Router.groupKey(sent.recipients())).isEqualTo(out.get(i).key());
                assertThat(trail.get(i).headers().lastHeader(TrailWriter.APPLICATION_HEADER).value())
                        .isEqualTo(h.config.applicationId().getBytes(StandardCharsets.UTF_8));
                assertThat(out.get(i).headers().lastHeader(TrailWriter.APPLICATION_HEADER))
                        .as("the routing header stays on the trail").isNull();
                assertThat(out.get(i).headers().lastHeader(TrailWriter.NOTICE_HEADER))
                        .as("the notice header stays on the trail").isNull();
            }
        }
    }

    @Test
    void aTrailEventIsAllTheDigestStageNeeds() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            TestRecord<String, TrailEvent> original = h.trail.readRecordsToList().get(0);
            h.readNotices();

            // the same event again, with no row behind it on the rows topic: the notice goes out once more
            trailInput(h).pipeInput(new TestRecord<>(original.key(), original.value(), original.headers(), original.getRecordTime()));
            assertThat(h.readNotices()).extracting(Notice::id).containsExactly(original.value().noticeId());
        }
    }

    @Test
    void shouldFoldTheEventsOfThePreviousVersionWithTheNoticeInsideTheirJson() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            TestRecord<String, TrailEvent> built = h.trail.readRecordsToList().get(0);
            RoutedNotice carried = InternalSerdes.ROUTED_NOTICE.decode(built.headers().lastHeader(TrailWriter.NOTICE_HEADER).value());
            h.readNotices();

            // as the previous version wrote it: the notice and its digest line inside the JSON, no notice header
            TrailEvent previous = built.value().withNotice(carried.notice(), carried.digestLine());
            assertThat(new String(TrailEvent.CODEC.encode(previous), StandardCharsets.UTF_8)).contains("\"notice\"");
            trailInput(h).pipeInput(new TestRecord<>(built.key(), previous, withoutNoticeHeader(built), built.getRecordTime()));
            assertThat(h.readNotices()).containsExactly(carried.notice());
        }
    }

    @Test
    void shouldSkipNoticeEventsOfEarlierVersionsWithoutANoticeInside() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_THRESHOLD", "0"))) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            TestRecord<String, TrailEvent> built = h.trail.readRecordsToList().get(0);
            h.advance(Duration.ofMinutes(2));
            assertThat(h.readNotices()).as("the control: a built notice goes out").extracting(Notice::id)
                    .containsExactly(built.value().noticeId());

            // as earlier versions wrote it: keyed by customer key, no notice inside (even with this application's header)
            Notice n = InternalSerdes.ROUTED_NOTICE.decode(built.headers().lastHeader(TrailWriter.NOTICE_HEADER).value()).notice();
            TrailEvent earlier = TrailEvent.notice(Rows.key("1002"), new Notice(n.schemaVersion(), "n-earlier", n.kind(),
                    List.of(Rows.key("1002")), n.recipients(), n.msg(), n.provenance(), n.createdAt(), n.routing()));
            assertThat(earlier.notice()).isNull();
            String json = new String(TrailEvent.CODEC.encode(earlier), StandardCharsets.UTF_8);
            assertThat(json).doesNotContain("\"notice\"").doesNotContain("digestLine");
            trailInput(h).pipeInput(new TestRecord<>(Rows.key("1002"), earlier, withoutNoticeHeader(built), built.getRecordTime()));
            // a ROW verdict of an earlier version
            trailInput(h).pipeInput(new TestRecord<>(Rows.key("1002"), TrailEvent.row(Rows.key("1002"), built.getRecordTime(),
                    Rows.customer("1002").build(), List.of(), "SNAPSHOT"), withoutNoticeHeader(built), built.getRecordTime()));
            h.advance(Duration.ofMinutes(2));

            assertThat(h.readNotices()).as("nothing folded, nothing sent").isEmpty();
        }
    }

    @Test
    void shouldSkipTheNoticesOfAnotherApplication() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            TestRecord<String, TrailEvent> built = h.trail.readRecordsToList().get(0);
            assertThat(h.readNotices()).hasSize(1);

            RecordHeaders other = new RecordHeaders();
            other.add(TrailWriter.APPLICATION_HEADER, "another-transformer".getBytes(StandardCharsets.UTF_8));
            trailInput(h).pipeInput(new TestRecord<>(built.key(), built.value(), other, built.getRecordTime()));
            trailInput(h).pipeInput(new TestRecord<>(built.key(), built.value(), new RecordHeaders(), built.getRecordTime()));
            assertThat(h.readNotices()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAnUnreadableEventOfItsOwnAndGoOn() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001"));
            TestRecord<String, TrailEvent> built = h.trail.readRecordsToList().get(0);
            h.readNotices();

            TestInputTopic<String, byte[]> raw = h.driver.createInputTopic(h.config.topic(Topics.TRAIL), new StringSerializer(),
                    new ByteArraySerializer());
            // an unreadable notice header, and an event of the previous version with unreadable JSON
            RecordHeaders badNotice = withoutNoticeHeader(built);
            badNotice.add(TrailWriter.NOTICE_HEADER, new byte[] {1, 2, 3});
            raw.pipeInput(new TestRecord<>(built.key(), TrailEvent.CODEC.encode(built.value()), badNotice, built.getRecordTime()));
            raw.pipeInput(new TestRecord<>(built.key(), "{not json".getBytes(StandardCharsets.UTF_8), withoutNoticeHeader(built),
                    built.getRecordTime()));
            assertThat(h.deadLetters.readRecordsToList()).hasSize(2);

            h.send(Rows.customer("1001").with("FDocumentStatus", "C").minutesLater(1));
            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Notice.Kind.APPROVED);
        }
    }

    private static RecordHeaders withoutNoticeHeader(TestRecord<String, TrailEvent> record) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(TrailWriter.NOTICE_HEADER);
        return headers;
    }

    private static TestInputTopic<String, TrailEvent> trailInput(TransformerHarness h) {
        return h.driver.createInputTopic(h.config.topic(Topics.TRAIL), new StringSerializer(), Topics.TRAIL.valueSerde().serializer());
    }
}
