package io.kdpipe.transformer.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageFitterTest {

    private final MessageFitter fitter = new MessageFitter();

    @Test
    void shouldLeaveAMessageThatFitsUntouched() {
        MessageFitter.Fitted f = fitter.fit(NoticeFormat.MARKDOWN, "标题", "### 正文");
        assertThat(f.truncated()).isFalse();
        assertThat(f.msg().toString()).isEqualTo("{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"标题\",\"text\":\"### 正文\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"中", "𠀀", "a\"", "\\\\\\*"})
    void shouldCutAtACharacterBoundaryAndStayWithinTheLimit(String unit) {
        String body = unit.repeat(3000);
        for (NoticeFormat format : NoticeFormat.values()) {
            MessageFitter.Fitted f = fitter.fit(format, "标题", body);
            assertThat(f.truncated()).isTrue();
            assertThat(MessageFitter.size(f.msg())).isLessThanOrEqualTo(MessageFitter.MAX_BYTES);
            String text = format == NoticeFormat.MARKDOWN ? f.msg().get("markdown").get("text").asText()
                    : f.msg().get("text").get("content").asText();
            String kept = text.substring(0, text.length() - MessageFitter.MARKER.length());
            assertThat(text).endsWith(MessageFitter.MARKER);
            assertThat(body).startsWith(kept);
            assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        }
    }

    @Test
    void shouldNeverLeaveADanglingMarkdownEscapeBeforeTheMarker() {
        MessageFitter.Fitted f = new MessageFitter(120).fit(NoticeFormat.MARKDOWN, "t", "\\[".repeat(200));
        String text = f.msg().get("markdown").get("text").asText();
        String kept = text.substring(0, text.length() - MessageFitter.MARKER.length());
        int trailing = 0;
        for (int i = kept.length() - 1; i >= 0 && kept.charAt(i) == '\\'; i--) {
            trailing++;
        }
        assertThat(trailing % 2).isZero();
    }

    @Test
    void shouldCountTheSizeOfAMessageExactlyAsItIsWritten() {
        StringBuilder everyAscii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            everyAscii.append(c);
        }
        List<String> texts = List.of("", everyAscii.toString(), "客户资料变更：上海华东电子有限公司 → \"新名称\"\n- 地址：（空）",
                "é ß ü ÿ Ω", "emoji 😀 pair", "lone \ud800 surrogate", "tab\tand\rreturn\u0001\u001f\u007f");
        // titles within the 64 code points a title keeps
        List<String> titles = texts.stream().flatMap(t -> t.length() > 64 ? Stream.of(t.substring(0, 64), t.substring(64)) : Stream.of(t))
                .toList();
        MessageFitter roomy = new MessageFitter(1_000_000);
        for (NoticeFormat format : NoticeFormat.values()) {
            for (String title : titles) {
                for (String body : texts) {
                    int written = MessageFitter.size(roomy.fit(format, title, body).msg());
                    assertThat(MessageFitter.size(format, title, body)).as("%s %s / %s", format, title, body).isEqualTo(written);
                }
            }
        }
    }
}
