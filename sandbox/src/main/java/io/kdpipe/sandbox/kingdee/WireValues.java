package io.kdpipe.sandbox.kingdee;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** How Kingdee writes values: dates as local ISO text with 0–3 fraction digits, decimals as numbers. */
final class WireValues {

    private WireValues() {
    }

    static JsonNode toJson(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof LocalDateTime dt) {
            return f.textNode(date(dt));
        }
        if (v instanceof BigDecimal d) {
            return f.numberNode(d);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        return f.textNode(v.toString());
    }

    /** {@code 2024-04-11T23:52:02.583}, {@code 2019-02-13T15:46:44.72}, {@code 2023-07-03T00:00:00}. */
    static String date(LocalDateTime dt) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dt);
    }
}
