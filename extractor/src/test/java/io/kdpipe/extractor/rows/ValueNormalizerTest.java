package io.kdpipe.extractor.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class ValueNormalizerTest {

    /** The general reading of a Kingdee date-time, which the quick one must agree with. */
    private static final DateTimeFormatter GENERAL = ValueNormalizer.KINGDEE_DATE;

    private final ValueNormalizer normalizer = new ValueNormalizer(ZoneId.of("Asia/Shanghai"));

    @Test
    void shouldReadDateTimesAsTheGeneralFormatterDoes() {
        for (String t : List.of("2024-04-11T23:52:02.583", "2019-02-13 15:46:44.72", "2023-07-03T00:00:00", "2024-04-11T23:52:02.5",
                "2024-04-11T23:52:02.123456789", "2024-02-29T12:00:00", "0001-01-01T00:00:00")) {
            assertThat(ValueNormalizer.quickParse(t)).as(t).isEqualTo(LocalDateTime.parse(t, GENERAL));
            assertThat(ValueNormalizer.parseDate(t)).as(t).isEqualTo(LocalDateTime.parse(t, GENERAL));
        }
        // shapes and values the quick reading leaves to the formatter
        for (String t : List.of("2024-02-30T00:00:00", "2024-04-11T23:52:02.", "2024-04-1123:52:02", "2024-04-11T 23:52:02",
                "2024-04-11T23:52:02.1234567890", "2024-04-11X23:52:02", "２０２４-04-11T23:52:02")) {
            assertThat(ValueNormalizer.quickParse(t)).as(t).isNull();
        }
        assertThat(ValueNormalizer.parseDate("2024-02-30T00:00:00")).isEqualTo(LocalDateTime.parse("2024-02-30T00:00:00", GENERAL));
        assertThatThrownBy(() -> ValueNormalizer.parseDate("2024-13-01T00:00:00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNormaliseTextDatesAndEmptyValues() {
        assertThat(normalizer.normalizeDate(TextNode.valueOf(" 2023-07-03T00:00:00 ")).asText()).isEqualTo("2023-07-03T00:00+08:00");
        assertThat(normalizer.normalizeDate(TextNode.valueOf("2024-04-11 23:52:02.583")).asText()).isEqualTo("2024-04-11T23:52:02.583+08:00");
        assertThat(normalizer.normalize(TextNode.valueOf("  甲公司 ")).asText()).isEqualTo("甲公司");
        TextNode clean = TextNode.valueOf("CUST00001");
        assertThat(normalizer.normalize(clean)).isSameAs(clean);
        assertThat(normalizer.normalize(TextNode.valueOf("  ")).isNull()).isTrue();
        assertThat(normalizer.normalize(IntNode.valueOf(3))).isEqualTo(IntNode.valueOf(3));
        // date shapes the quick reading leaves to the pattern and the formatter
        assertThat(normalizer.normalizeDate(TextNode.valueOf("2024-02-30 00:00:00")).asText()).isEqualTo("2024-02-29T00:00+08:00");
        assertThat(normalizer.normalizeDate(TextNode.valueOf("2024-13-01T00:00:00")).asText()).isEqualTo("2024-13-01T00:00:00");
        for (String text : List.of("2024-04-11T23:52:02.", "2024-04-11X23:52:02", "2024-04-11 23:52", "a-b-c 12:34:56 text")) {
            assertThat(normalizer.normalizeDate(TextNode.valueOf(text)).asText()).as(text).isEqualTo(text);
        }
        assertThat(ValueNormalizer.isEmpty(TextNode.valueOf(" \t"))).isTrue();
        assertThat(ValueNormalizer.isEmpty(null)).isTrue();
        assertThat(ValueNormalizer.isEmpty(IntNode.valueOf(0))).isFalse();
    }

    @Test
    void shouldKeepTextThatLooksLikeADateAsTextAndNeverFailOnADateFieldThatIsNone() {
        assertThat(normalizer.normalize(TextNode.valueOf("2024-13-01 00:00:00")).asText()).isEqualTo("2024-13-01 00:00:00");
        assertThat(normalizer.normalize(TextNode.valueOf(" 2024-04-11 23:52:02 ")).asText()).isEqualTo("2024-04-11 23:52:02");
        assertThat(normalizer.normalizeDate(TextNode.valueOf("2024-13-01 00:00:00")).asText()).isEqualTo("2024-13-01 00:00:00");
        assertThat(normalizer.normalizeDate(TextNode.valueOf("not yet")).asText()).isEqualTo("not yet");
    }
}
