package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.routing.RecipientResolver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Recipients from the directory GlobalKTable, fixed lists per kind and the fallback. */
class RoutingTest {

    @Test
    void shouldResolveSalespersonAndDepartmentThroughTheDirectory() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_APPROVED", "finance01,dept:900"))) {
            h.person("XSY007", "zhangwei");
            h.department("BM01", 4021);
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FDocumentStatus", "C").minutesLater(1));

            List<TestRecord<String, Notice>> out = h.readNoticeRecords();
            Notice created = out.get(0).value();
            assertThat(created.recipients().userIds()).containsExactly("zhangwei");
            assertThat(created.recipients().deptIds()).containsExactly("4021");
            assertThat(created.recipients().unresolved()).isEmpty();
            assertThat(out.get(0).key()).isEqualTo(RecipientResolver.groupKey(created.recipients()));

            Notice approved = out.get(1).value();
            assertThat(approved.recipients().userIds()).containsExactly("finance01", "zhangwei");
            assertThat(approved.recipients().deptIds()).containsExactly("4021", "900");
            assertThat(out.get(1).key()).isNotEqualTo(out.get(0).key());
        }
    }

    @Test
    void shouldUseTheFallbackAndNameTheUnresolvedWhenNothingResolves() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01"))) {
            h.person("XSY007", null); // known person without a DingTalk userid yet
            h.send(Rows.customer("1001"));

            Notice n = h.readNotices().get(0);
            assertThat(n.recipients().userIds()).containsExactly("admin01");
            assertThat(n.recipients().unresolved()).containsExactly("department:BM01", "person:XSY007");
            assertThat(n.msg().get("markdown").get("text").asText()).contains("未在钉钉通讯录中找到：department:BM01、person:XSY007");
            assertThat(h.counter("kdpipe.transformer.recipients.unresolved", "type", "person")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.recipients.unresolved", "type", "department")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.recipients.fallback")).isEqualTo(1);
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
        }
    }

    @Test
    void shouldFollowDirectoryUpdates() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("1002"));

            List<Notice> out = h.readNotices();
            assertThat(out.get(0).recipients().userIds()).isEmpty();
            assertThat(out.get(1).recipients().userIds()).containsExactly("zhangwei");
        }
    }
}
