package io.kdpipe.cli.operate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points in time as operators write them: {@code 2026-11-29T08:00:00Z}, {@code 2026-11-29T16:00+08:00},
 * {@code 2026-11-29 16:00[:00]} or {@code 2026-11-29} (in the display zone), or {@code 30m}, {@code 2h},
 * {@code 1d} meaning that long ago.
 */
final class Times {

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private Times() {
    }

    static Instant parse(String option, String text, ZoneId zone, Clock clock) {
        String t = text.trim();
        Matcher m = AGO.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new OperateException(ExitCodes.USAGE, option + ": '" + text
                    + "' is not a time (e.g. 2026-11-29T08:00:00Z, '2026-11-29 16:00', 2026-11-29, 2h)");
        }
    }
}
