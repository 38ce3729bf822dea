package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.transformer.notice.NoticeIds;
import org.junit.jupiter.api.Test;

/** Which rows become which notices, through the whole topology on a TopologyTestDriver. */
class ChangeDetectionTest {

    private static String text(Notice n) {
        return n.msg().get("markdown").get("text").asText();
    }

    @Test
    void shouldNotifyCreatedForANewCustomer() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));

            List<Notice> out = h.readNotices();
            assertThat(out).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo(Kind.CREATED);
                assertThat(n.customerKeys()).containsExactly(Rows.key("1001"));
                assertThat(n.id()).isEqualTo(NoticeIds.single(Rows.key("1001"), Kind.CREATED, Rows.T0));
                assertThat(n.msg().get("markdown").get("title").asText()).isEqualTo("新客户：上海华东电子有限公司1001");
                assertThat(text(n)).contains("### 新客户已建立", "客户编码：C1001", "修改时间：2026-11-28 10:00:00");
                assertThat(n.provenance().sourceModifiedAt()).isEqualTo(Rows.T0);
            });
            assertThat(h.counter("kdpipe.transformer.changes", "kind", "CREATED")).isEqualTo(1);
        }
    }

    @Test
    void shouldNotifyApprovedWhenDocumentStatusBecomesC() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FDocumentStatus", "B").minutesLater(1));
            h.send(Rows.customer("1001").with("FDocumentStatus", "C").minutesLater(2));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.APPROVED);
            assertThat(text(out.get(1))).contains("### 客户已审核");
        }
    }

    @Test
    void shouldListEachChangedWatchedFieldWithChineseLabelAndOldAndNewValue() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "上海华东电子股份有限公司").with("FSELLER_FNumber", "XSY009").minutesLater(1));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CHANGED);
            assertThat(text(out.get(1)))
                    .contains("- 客户名称：上海华东电子有限公司1001 → 上海华东电子股份有限公司")
                    .contains("- 销售员：XSY007 → XSY009")
                    .doesNotContain("联系电话");
        }
    }

    @Test
    void shouldNotifyForbiddenThenEnabled() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FForbidStatus", "B").minutesLater(1));
            h.send(Rows.customer("1001").with("FForbidStatus", "A").minutesLater(2));

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.FORBIDDEN, Kind.ENABLED);
        }
    }

    @Test
    void shouldGiveOneNoticePerKindWhenARowShowsSeveral() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FDocumentStatus", "C").with("FTEL", "021-6666 0000").minutesLater(1));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.APPROVED, Kind.CHANGED);
            assertThat(out).extracting(Notice::id).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldNotNotifyWhenOnlyModifyDateChanged() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").minutesLater(5));

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "MODIFY_DATE_ONLY")).isEqualTo(1);
        }
    }

    @Test
    void shouldSendNothingAgainWhenRowsAreReplayedAfterASaveThatMovedOnlyModifyDate() {
        try (TransformerHarness h = TransformerHarness.start()) {
            List<Rows.Builder> versions = List.of(Rows.customer("1001"), Rows.customer("1001").with("FName", "新名称").minutesLater(1),
                    Rows.customer("1001").with("FName", "新名称").minutesLater(2));
            versions.forEach(h::send);
            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CHANGED);

            // the state holds the version of the last content change (minute 1), not the quiet save after it
            versions.forEach(h::send);
            assertThat(h.readNotices()).isEmpty();
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "OUT_OF_ORDER")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "DUPLICATE")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "MODIFY_DATE_ONLY")).isEqualTo(2);
        }
    }

    /**
     * The one case where keeping the last change's version differs from keeping the newest version seen
     * (transformer/README.md): a version never seen before, arriving late between the last change and a
     * later quiet save, with other content, counts as a change; one older than the last change is out of order.
     */
    @Test
    void shouldTakeALateUnseenVersionAfterTheLastChangeAsAChangeAndOneBeforeItAsOutOfOrder() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "新名称").minutesLater(2));
            h.send(Rows.customer("1001").with("FName", "新名称").minutesLater(4));
            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CHANGED);

            h.send(Rows.customer("1001").with("FName", "迟到的名称").minutesLater(1));
            assertThat(h.readNotices()).as("older than the last change").isEmpty();
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "OUT_OF_ORDER")).isEqualTo(1);

            h.send(Rows.customer("1001").with("FName", "迟到的名称").minutesLater(3));
            List<Notice> late = h.readNotices();
            assertThat(late).extracting(Notice::kind).containsExactly(Kind.CHANGED);
            assertThat(text(late.get(0))).contains("新名称 → 迟到的名称");
        }
    }

    @Test
    void shouldNotNotifyWhenOnlyUnwatchedFieldsOrNothingChanged() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_WATCHED_FIELDS", "FName"))) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001")); // the same version again
            h.send(Rows.customer("1001").with("FTEL", "021-6666 0000").minutesLater(1));

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "DUPLICATE")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "UNWATCHED_FIELDS_ONLY")).isEqualTo(1);
        }
    }

    @Test
    void shouldFillStateSilentlyFromSnapshotRowsByDefault() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001").snapshot());
            h.send(Rows.customer("1002").snapshot());
            assertThat(h.readNotices()).isEmpty();
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "SNAPSHOT")).isEqualTo(2);

            // the snapshot filled the state: a later change is a change, not a creation
            h.send(Rows.customer("1001").with("FName", "新名称").minutesLater(1));
            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CHANGED);
            assertThat(text(out.get(0))).contains("客户名称：上海华东电子有限公司1001 → 新名称");
        }
    }

    @Test
    void shouldNotifySnapshotRowsWhenAsked() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_NOTIFY_SNAPSHOT", "true"))) {
            h.send(Rows.customer("1001").snapshot());
            h.send(Rows.customer("1002").snapshot());

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CREATED);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "SNAPSHOT")).isZero();
        }
    }

    @Test
    void shouldIgnoreRowsOlderThanTheStoredOne() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "第二版").minutesLater(10));
            // a late, older version arrives after the newer one
            h.send(Rows.customer("1001").with("FName", "第一版").minutesLater(5));
            // the next real change is compared with the newest stored version
            h.send(Rows.customer("1001").with("FName", "第三版").minutesLater(20));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CHANGED, Kind.CHANGED);
            assertThat(text(out.get(1))).contains("上海华东电子有限公司1001 → 第二版");
            assertThat(text(out.get(2))).contains("第二版 → 第三版");
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "OUT_OF_ORDER")).isEqualTo(1);
        }
    }

    @Test
    void shouldCountRowsIn() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001"));
            assertThat(h.counter("kdpipe.transformer.rows.in")).isEqualTo(2);
        }
    }
}
