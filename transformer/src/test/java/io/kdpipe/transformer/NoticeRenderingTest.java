package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.transformer.notice.MessageFitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates, escaping, size limit and determinism of the rendered DingTalk message. */
class NoticeRenderingTest {

    private static String markdown(Notice n) {
        return n.msg().get("markdown").get("text").asText();
    }

    @Test
    void shouldRenderTemplatesFromFilesWithAnyRowField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("created.md"), "## {{FName}} 由 {{FSELLER_FNumber}} 建立，税号 {{FTAXNO}}，键 {{customerKey}}\n");
        Files.writeString(dir.resolve("created.title"), "新客户 {{FNumber}}");
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_TEMPLATES_DIR", dir.toString()))) {
            h.send(Rows.customer("1001").with("FTAXNO", "91310000MA1K"));

            Notice n = h.readNotices().get(0);
            assertThat(n.msg().get("markdown").get("title").asText()).isEqualTo("新客户 C1001");
            assertThat(markdown(n)).isEqualTo("## 上海华东电子有限公司1001 由 XSY007 建立，税号 91310000MA1K，键 " + Rows.key("1001"));
        }
    }

    @Test
    void shouldPreferTemplatesFromConfigAndRenderText() {
        try (TransformerHarness h = TransformerHarness.start(Map.of(
                "KDPIPE_NOTICE_FORMAT", "text",
                "KDPIPE_TEMPLATE_FORBIDDEN_TEXT", "客户 {{FName}} 已禁用\\n联系 {{FTEL}}"))) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FForbidStatus", "B").minutesLater(1));

            List<Notice> out = h.readNotices();
            assertThat(out.get(0).msg().get("text").get("content").asText()).startsWith("【新客户已建立】上海华东电子有限公司1001\n客户编码：C1001");
            assertThat(out.get(1).msg().get("msgtype").asText()).isEqualTo("text");
            assertThat(out.get(1).msg().get("text").get("content").asText()).isEqualTo("客户 上海华东电子有限公司1001 已禁用\n联系 021-5555 0101");
        }
    }

    @Test
    void shouldShowAMarkdownLinkInTheCustomerNameAsText() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001").with("FName", "[点我](http://x)\n# 标题 **粗** <b>x</b>"));

            String text = markdown(h.readNotices().get(0));
            assertThat(text).contains("\\[点我\\]\\(http://x\\) \\# 标题 \\*\\*粗\\*\\* \\<b\\>x\\</b\\>");
            // no unescaped link syntax and no line the value could have started
            assertThat(text).doesNotContain("[点我](").doesNotContain("\n# 标题");
        }
    }

    @Test
    void shouldCutLongCjkMessagesTo2048BytesWithAVisibleMarkerAndNoBrokenCharacter() throws Exception {
        String longName = "超长客户名称测试𠀀".repeat(150); // 1500 code points, with 4-byte characters among them
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001").with("FName", longName).with("FADDRESS", "上海市浦东新区".repeat(100)));

            Notice n = h.readNotices().get(0);
            byte[] msg = Json.mapper().writeValueAsBytes(n.msg());
            assertThat(msg.length).isLessThanOrEqualTo(MessageFitter.MAX_BYTES).isGreaterThan(MessageFitter.MAX_BYTES - 16);
            // strict decoding fails on any cut character
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(msg));
            String text = markdown(n);
            assertThat(text).endsWith(MessageFitter.MARKER).doesNotContain("\uFFFD");
            String kept = text.substring(0, text.length() - MessageFitter.MARKER.length());
            assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
            assertThat(h.counter("kdpipe.transformer.notices.truncated")).isEqualTo(1);
        }
    }

    @Test
    void shouldProduceTheSameBytesForTheSameInput() throws Exception {
        byte[] first;
        byte[] second;
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "新名称").minutesLater(1));
            first = Json.mapper().writeValueAsBytes(h.readNotices());
        }
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "新名称").minutesLater(1));
            second = Json.mapper().writeValueAsBytes(h.readNotices());
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldDeriveTheNoticeIdFromCustomerKindAndRowVersion() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.send(Rows.customer("1001"));
            h.send(Rows.customer("1001").with("FName", "甲").minutesLater(1));
            h.send(Rows.customer("1001").with("FName", "乙").minutesLater(2));
            h.send(Rows.customer("1002"));

            List<Notice> out = h.readNotices();
            assertThat(out).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.CHANGED, Kind.CHANGED, Kind.CREATED);
            assertThat(out).extracting(Notice::id).doesNotHaveDuplicates().allMatch(id -> id.matches("n-[0-9a-f]{32}"));
        }
    }
}
