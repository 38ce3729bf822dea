package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.routing.Router;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Recipients by the routing policy: directory targets per kind, fixed lists per kind, the fallback steps. */
class RoutingTest {

    @Test
    void shouldSendToTheSalespersonOnlyByDefault() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_APPROVED", "finance01,dept:900"))) {
            h.person("XSY007", "zhangwei");
            h.department("BM01", 4021);
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FDocumentStatus", "C").minutesLater(1));

            List<TestRecord<String, Notice>> out = h.readNoticeRecords();
            Notice created = out.get(0).value();
            assertThat(created.recipients().userIds()).containsExactly("zhangwei");
            assertThat(created.recipients().deptIds()).as("the department only when configured").isEmpty();
            assertThat(created.recipients().unresolved()).isEmpty();
            assertThat(created.routing()).isEqualTo(new Notice.Routing(Notice.Kind.CREATED, "XSY007", null, "BM01", List.of()));
            assertThat(out.get(0).key()).isEqualTo(Router.groupKey(created.recipients()));

            Notice approved = out.get(1).value();
            assertThat(approved.recipients().userIds()).containsExactly("finance01", "zhangwei");
            assertThat(approved.recipients().deptIds()).containsExactly("900");
            assertThat(out.get(1).key()).isNotEqualTo(out.get(0).key());
        }
    }

    @Test
    void shouldSendToTheDepartmentAndItsManagerWhenTheKindSaysSo() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_ROUTE_CREATED", "salesperson,department,department-manager"))) {
            h.person("XSY007", "zhangwei");
            h.entry(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, "BM01", "华东销售部", null, null, 4021L,
                    Rows.T0, DirectoryEntry.Status.UNCHECKED, null, "mgr01"));
            h.send(Rows.customer("1001"));

            Notice n = h.readNotices().get(0);
            assertThat(n.recipients().userIds()).containsExactly("mgr01", "zhangwei");
            assertThat(n.recipients().deptIds()).containsExactly("4021");
        }
    }

    @Test
    void shouldTellTheOldAndTheNewSalespersonOfAChangeOfSalesperson() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.person("XSY022", "liqiang");
            h.person("XSY014", "wangfang");
            h.send(Rows.customer("1001").with("FSELLER_FNumber", "XSY022"));
            h.send(Rows.customer("1001").with("FSELLER_FNumber", "XSY014").minutesLater(1));

            List<Notice> out = h.readNotices();
            assertThat(out.get(0).recipients().userIds()).containsExactly("liqiang");
            Notice moved = out.get(1);
            assertThat(moved.kind()).isEqualTo(Notice.Kind.CHANGED);
            assertThat(moved.recipients().userIds()).containsExactly("liqiang", "wangfang");
            assertThat(moved.routing().previousSalesperson()).isEqualTo("XSY022");
            assertThat(moved.routing().salesperson()).isEqualTo("XSY014");
        }
    }

    @Test
    void shouldRouteAroundADepartedSalespersonToTheDepartmentManagerAndSayWhy() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01"))) {
            h.entry(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, "XSY007", "张伟", null, "ghost01", null,
                    Rows.T0, DirectoryEntry.Status.DEPARTED, Instant.parse("2026-12-01T02:00:00Z"), null));
            h.entry(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, "BM01", "华东销售部", null, null, 4021L,
                    Rows.T0, DirectoryEntry.Status.UNCHECKED, null, "mgr01"));
            h.send(Rows.customer("1001"));

            Notice n = h.readNotices().get(0);
            assertThat(n.recipients().userIds()).as("the manager, not the fallback list").containsExactly("mgr01");
            assertThat(n.recipients().unresolved()).containsExactly("person:XSY007");
            assertThat(n.routing().notes()).anySatisfy(note -> assertThat(note).contains("XSY007").contains("ghost01")
                    .contains("left the organisation")).anySatisfy(note -> assertThat(note).contains("fallback: mgr01"));
            assertThat(h.counter("kdpipe.transformer.recipients.unresolved", "type", "person", "reason", "departed")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.recipients.fallback")).isEqualTo(1);
            TrailEvent built = h.trail.readValuesToList().stream().filter(e -> e.type() == TrailEvent.Type.NOTICE).findFirst().orElseThrow();
            assertThat(built.routing()).isEqualTo(n.routing().notes());
        }
    }

    @Test
    void shouldUseTheFallbackListAndNeverPrintTheGapIntoTheMessage() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01"))) {
            h.person("XSY007", null); // known person without a DingTalk userid yet
            h.send(Rows.customer("1001"));

            Notice n = h.readNotices().get(0);
            assertThat(n.recipients().userIds()).containsExactly("admin01");
            assertThat(n.recipients().unresolved()).containsExactly("department:BM01", "person:XSY007");
            assertThat(n.routing().notes()).contains("salesperson XSY007 (姓名XSY007) has no DingTalk userid",
                    "department BM01 is not in the directory", "fallback: KDPIPE_RECIPIENTS_FALLBACK");
            assertThat(n.msg().toString()).doesNotContain("未在钉钉通讯录中找到").doesNotContain("XSY007 (");
            assertThat(h.counter("kdpipe.transformer.recipients.unresolved", "type", "person", "reason", "no-id")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.recipients.unresolved", "type", "department", "reason", "missing")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.recipients.fallback")).isEqualTo(1);
        }
    }

    @Test
    void shouldReachNobodyWithoutAFallbackAndNotFoldSuchNoticesIntoDigests() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_THRESHOLD", "1"))) {
            for (int i = 1; i <= 3; i++) {
                h.send(Rows.customer("100" + i).with("FSELLER_FNumber", null));
            }
            List<Notice> out = h.readNotices();
            assertThat(out).as("each passes alone, so each can be re-routed").hasSize(3)
                    .allSatisfy(n -> assertThat(n.kind()).isEqualTo(Notice.Kind.CREATED))
                    .allSatisfy(n -> assertThat(n.recipients().isEmpty()).isTrue())
                    .allSatisfy(n -> assertThat(n.routing().notes()).contains("the row has no salesperson"));
        }
    }

    @Test
    void shouldNotAddTheFallbackWhenTheSalespersonResolves() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01"))) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1001").with("FSALDEPTID_FNumber", null));

            Notice n = h.readNotices().get(0);
            assertThat(n.recipients().userIds()).containsExactly("zhangwei");
            assertThat(n.recipients().unresolved()).isEmpty();
            assertThat(n.routing().notes()).isEmpty();
        }
    }

    @Test
    void shouldFollowDirectoryUpdates() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1002"));
            h.send(Rows.customer("1003"));
            // the salesperson's entry changes between two notices of theirs, then goes
            h.person("XSY007", "lisi");
            h.send(Rows.customer("1004"));
            h.removePerson("XSY007");
            h.send(Rows.customer("1005"));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(n -> n.recipients().userIds())
                    .containsExactly(List.of(), List.of("zhangwei"), List.of("zhangwei"), List.of("lisi"), List.of());
        }
    }
}
