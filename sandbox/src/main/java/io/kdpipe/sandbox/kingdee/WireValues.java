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

    /**
     * {@code 2024-04-11T23:52:02.583}, {@code 2019-02-13T15:46:44.72}, {@code 2023-07-03T00:00:00}:
     * {@link DateTimeFormatter#ISO_LOCAL_DATE_TIME}'s text, written directly for four-digit years
     * (the formatter itself for any other year).
     */
    static String date(LocalDateTime dt) {
        int year = dt.getYear();
        if (year < 1000 || year > 9999) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dt);
        }
        char[] b = new char[29];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, dt.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, dt.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, dt.getHour(), 2);
        b[13] = ':';
        digits(b, 14, dt.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, dt.getSecond(), 2);
        int nano = dt.getNano();
        if (nano == 0) {
            return new String(b, 0, 19);
        }
        b[19] = '.';
        digits(b, 20, nano, 9);
        int end = 29;
        while (b[end - 1] == '0') {
            end--;
        }
        return new String(b, 0, end);
    }

    private static void digits(char[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
