package io.kdpipe.extractor.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.extractor.kingdee.KingdeeException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRowsTest {

    private static final String[] VALUES = {"0", "-12", "100231", "12.50", "1.5e3", "-0.0", "null", "true", "false", "\"\"",
        "\"CUST00001\"", "\"上海华东电子有限公司\"", "\"a]b,c[d\"", "\"quote \\\" inside\"", "\"back\\\\slash\"", "\"\\u00e9\\n\\t\"",
        "\"2026-11-28T10:02:03.583\"", "\" \"", "\"😀\""};
    private static final String[] SPACE = {"", "", "", " ", "\n", "\r\n  ", "\t"};

    @Test
    void shouldReadEveryRowAsTheWholeAnswerIsRead() {
        Random random = new Random(20261206);
        for (int body = 0; body < 2_000; body++) {
            int width = 1 + random.nextInt(6);
            int rows = random.nextInt(8);
            StringBuilder json = new StringBuilder(space(random)).append('[').append(space(random));
            for (int r = 0; r < rows; r++) {
                json.append(r == 0 ? "" : "," + space(random)).append('[').append(space(random));
                for (int v = 0; v < width; v++) {
                    json.append(v == 0 ? "" : space(random) + "," + space(random)).append(VALUES[random.nextInt(VALUES.length)]);
                }
                json.append(space(random)).append(']').append(space(random));
            }
            json.append(']').append(space(random));
            String text = json.toString();

            QueryRows lazy = QueryRows.of("ExecuteBillQuery", 200, text.getBytes(StandardCharsets.UTF_8), width);
            List<JsonNode[]> whole = ResponseParser.queryRows("ExecuteBillQuery", 200, text, width);

            assertThat(lazy).as(text).isNotNull().hasSize(whole.size());
            // the last row first, as keyset paging asks for it, then the others
            for (int i = whole.size() - 1; i >= 0; i--) {
                assertThat(lazy.get(i)).as(text).isEqualTo(whole.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[[1,2,3],[4,5]]", "[[1,2,3],[4,5,6,7]]", "[[1,[2],3]]", "[[1,{\"a\":2},3]]", "[[{\"Result\":{}}]]", "[{\"Result\":{}}]",
        "[1,2,3]", "[[1,2,3],[4,5,6]", "[[1,2,3] [4,5,6]]", "[[1,2,3],]", "[[1,2,3]] x", "{\"Result\":{}}", "", "  ",
        "[[1,\"open,2,3]]", "[[1,\"tab\there\",3]]", "[[1,,3]]", "[[1,2,3,]]", "[[1 2,3]]", "<html>", "[[]]"})
    void shouldLeaveEveryOtherLayoutToTheWholeRead(String body) {
        assertThat(QueryRows.of("ExecuteBillQuery", 200, body.getBytes(StandardCharsets.UTF_8), 3)).isNull();
    }

    @Test
    void shouldReportAMalformedValueWhenItsRowIsRead() {
        QueryRows rows = QueryRows.of("ExecuteBillQuery", 200, "[[1,2,3],[4,tru,6]]".getBytes(StandardCharsets.UTF_8), 3);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[2].intValue()).isEqualTo(3);
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> rows.get(1));
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(QueryRows.of("ExecuteBillQuery", 200, "[]".getBytes(StandardCharsets.UTF_8), 3)).isEmpty();
    }

    private static String space(Random random) {
        return SPACE[random.nextInt(SPACE.length)];
    }
}
