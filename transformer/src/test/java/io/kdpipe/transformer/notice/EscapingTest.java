package io.kdpipe.transformer.notice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EscapingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[点我](http://x)|\\[点我\\]\\(http://x\\)",
            "![img](http://x/a.png)|\\!\\[img\\]\\(http://x/a.png\\)",
            "**粗体** _斜体_|\\*\\*粗体\\*\\* \\_斜体\\_",
            "# 标题|\\# 标题",
            "- 列表|\\- 列表",
            "1. 第一|1\\. 第一",
            "<a href=x>|\\<a href=x\\>",
            "上海华东电子有限公司|上海华东电子有限公司",
            "021-5555 0101|021-5555 0101"})
    void shouldEscapeMarkdown(String value, String expected) {
        assertThat(Escaping.escape(value, NoticeFormat.MARKDOWN)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[点我](http://x)|[点我](http://x)", "甲\\n乙|甲 乙"})
    void shouldOnlyFlattenLinesInText(String value, String expected) {
        assertThat(Escaping.escape(value.replace("\\n", "\n"), NoticeFormat.TEXT)).isEqualTo(expected);
    }

    @Test
    void shouldReturnAValueAsItIsOnlyWhenEscapingWouldNotChangeIt() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        char[] alphabet = "ab1.9-+\\`*_[]()<>#!|~ \r\n上海".toCharArray();
        for (int round = 0; round < 50_000; round++) {
            StringBuilder value = new StringBuilder();
            int n = random.nextInt(0, 6);
            for (int i = 0; i < n; i++) {
                value.append(alphabet[random.nextInt(alphabet.length)]);
            }
            for (NoticeFormat format : NoticeFormat.values()) {
                assertThat(Escaping.escape(value.toString(), format)).as(value + " " + format)
                        .isEqualTo(Escaping.escapeEach(value.toString(), format));
            }
        }
    }
}
