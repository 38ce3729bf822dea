package io.kdpipe.extractor.rows;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.kdpipe.common.contract.Instants;

/**
 * Turns Kingdee's values into what the row topic carries: text trimmed, empty text as null, and
 * the values of date fields ({@code 2024-04-11T23:52:02.583}, 0–3 fraction digits, server-local) as
 * ISO date-times with the server's offset, e.g. {@code 2024-04-11T23:52:02.583+08:00}. Text in any
 * other field stays text, however much it looks like a date, and a date field's value that is no
 * date-time is published as the text it is. Numbers and booleans pass through.
 */
public final class ValueNormalizer {

    private static final Pattern LOCAL_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    /** The general reading of a Kingdee date-time; {@link #quickParse} agrees with it where it answers. */
    static final DateTimeFormatter KINGDEE_DATE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    /** The date fields of {@code BD_Customer} the extractor reads as dates whatever the configuration. */
    public static final List<String> DATE_FIELDS = List.of("FModifyDate", "FCreateDate", "FApproveDate", "FForbidDate");

    private final ZoneId zone;

    public ValueNormalizer(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The value of a field that is not a date: text trimmed, blank text as null. */
    public JsonNode normalize(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (!value.isTextual()) {
            return value;
        }
        String raw = value.asText();
        String text = raw.strip();
        if (text.isEmpty()) {
            return NullNode.getInstance();
        }
        // text nodes are immutable: one that needs no trimming is passed on as it is
        return text.length() == raw.length() ? value : JsonNodeFactory.instance.textNode(text);
    }

    /** The value of a date field: an ISO date-time with the server's offset, or the text itself when it is no date-time. */
    public JsonNode normalizeDate(JsonNode value) {
        JsonNode v = normalize(value);
        if (!v.isTextual()) {
            return v;
        }
        String text = v.asText();
        LocalDateTime local = quickParse(text);
        if (local == null && mayBeDate(text) && LOCAL_DATE_TIME.matcher(text).matches()) {
            try {
                local = parseDate(text);
            } catch (IllegalArgumentException notADate) {
                return v;
            }
        }
        return local == null ? v : JsonNodeFactory.instance.textNode(Instants.format(local, local.atZone(zone).getOffset()));
    }

    /** What every text {@link #LOCAL_DATE_TIME} matches has: most text is ruled out without the pattern. */
    private static boolean mayBeDate(String t) {
        int n = t.length();
        return n >= 19 && n <= 29 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(13) == ':' && t.charAt(16) == ':';
    }

    /** Whether {@link #normalize} makes the value null: null, missing, or blank text. */
    public static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || (value.isTextual() && value.asText().isBlank());
    }

    /**
     * Reads {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}]}, the one shape Kingdee writes, without a
     * formatter; null for any other text, and for values that are no valid date-time (which the
     * formatter then resolves or rejects as before).
     */
    static LocalDateTime quickParse(String t) {
        int n = t.length();
        if (n < 19 || n == 20 || n > 29 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 19 && t.charAt(19) != '.')) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int nanos = 0;
        if (n > 19) {
            nanos = digits(t, 20, n);
            for (int i = n - 20; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nanos < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits {@code [from, to)} as a number; -1 when one is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A Kingdee date-time in server-local time; null for null or empty values. */
    public static LocalDateTime parseDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        LocalDateTime quick = quickParse(t);
        if (quick != null) {
            return quick;
        }
        try {
            return LocalDateTime.parse(t, KINGDEE_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a Kingdee date-time: '" + text + "'", e);
        }
    }

    /** The form a date-time takes in a {@code FilterString} literal: {@code 2024-04-11 23:52:02.583}. */
    public static String filterLiteral(LocalDateTime t) {
        return "'" + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).format(t) + "'";
    }
}
