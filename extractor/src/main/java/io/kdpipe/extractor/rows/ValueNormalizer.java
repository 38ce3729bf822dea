package io.kdpipe.extractor.rows;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Turns Kingdee's values into what the row topic carries: text trimmed, empty text as null, and
 * dates ({@code 2024-04-11T23:52:02.583}, 0–3 fraction digits, server-local) as ISO date-times with
 * the server's offset, e.g. {@code 2024-04-11T23:52:02.583+08:00}. Numbers and booleans pass through.
 */
public final class ValueNormalizer {

    private static final Pattern LOCAL_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    private static final DateTimeFormatter KINGDEE_DATE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private final ZoneId zone;

    public ValueNormalizer(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    public JsonNode normalize(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            return NullNode.getInstance();
        }
        if (mayBeDate(text) && LOCAL_DATE_TIME.matcher(text).matches()) {
            LocalDateTime local = parseDate(text);
            return JsonNodeFactory.instance.textNode(local.atZone(zone).toOffsetDateTime().toString());
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    /** A cheap look at the positions every date-time has, before the pattern decides. */
    private static boolean mayBeDate(String text) {
        return text.length() >= 19 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(13) == ':';
    }

    /** A Kingdee date-time in server-local time; null for null or empty values. */
    public static LocalDateTime parseDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.strip(), KINGDEE_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a Kingdee date-time: '" + text + "'", e);
        }
    }

    /** The form a date-time takes in a {@code FilterString} literal: {@code 2024-04-11 23:52:02.583}. */
    public static String filterLiteral(LocalDateTime t) {
        return "'" + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).format(t) + "'";
    }
}
