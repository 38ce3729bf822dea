package io.kdpipe.common.contract;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Instants in the one form {@link Instant#toString()} writes, read and written without a formatter; and
 * date-times with an offset in the form {@link java.time.OffsetDateTime#toString()} writes.
 */
public final class Instants {

    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    private Instants() {
    }

    /**
     * {@code t.toString()}, written without {@code DateTimeFormatter} for a year from 0000 to 9999 (the
     * form {@link #parseCanonical} reads); other years are left to {@code toString()}.
     */
    static String format(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return t.toString();
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        return format(LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400)), secondOfDay, t.getNano(), true, "Z");
    }

    /**
     * {@code local.atOffset(offset).toString()} ({@code 2024-04-11T23:52:02.583+08:00}; the seconds left out
     * when they and the fraction are zero, as {@link LocalTime#toString()} does), written without
     * {@code DateTimeFormatter} for a year from 0000 to 9999; other years are left to {@code toString()}.
     */
    public static String format(LocalDateTime local, ZoneOffset offset) {
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            return local.atOffset(offset).toString();
        }
        return format(local.toLocalDate(), local.toLocalTime().toSecondOfDay(), local.getNano(), false, offset.getId());
    }

    private static String format(LocalDate date, int secondOfDay, int nanos, boolean alwaysSeconds, String suffix) {
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        boolean withSeconds = alwaysSeconds || secondOfDay % 60 != 0 || nanos != 0;
        int length = withSeconds ? 19 + (fraction == 0 ? 0 : fraction + 1) : 16;
        byte[] out = new byte[length + suffix.length()];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        if (withSeconds) {
            out[16] = ':';
            put(out, 17, secondOfDay % 60, 2);
        }
        if (fraction > 0) {
            out[19] = '.';
            int value = nanos;
            for (int i = fraction; i < 9; i++) {
                value /= 10;
            }
            put(out, 20, value, fraction);
        }
        for (int i = 0; i < suffix.length(); i++) {
            out[length + i] = (byte) suffix.charAt(i);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** {@code value} as {@code count} decimal digits at {@code at}, zeros in front. */
    private static void put(byte[] out, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The instant {@code text} writes in {@link Instant#toString()}'s form for a year from 0000 to
     * 9999 ({@code 2026-11-28T02:02:03.583Z}: seconds always, a fraction in groups of three digits only
     * when it is not zero, its last group not all zeros), or null for any other text, even one that
     * {@link Instant#parse} reads. {@code Instant.parse(text)} returns the same instant, and the instant's
     * {@code toString()} is {@code text}.
     */
    static Instant parseCanonical(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        int fraction = n - 1 - 19; // the characters between the seconds and the 'Z'
        if (fraction > 0) {
            int digits = fraction - 1;
            if (text.charAt(19) != '.' || (digits != 3 && digits != 6 && digits != 9)) {
                return null;
            }
            nanos = digits(text, 20, digits);
            if (nanos < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
            // the last group of three is not all zeros, or toString would have left it out
            if (digits(text, 20 + digits - 3, 3) == 0) {
                return null;
            }
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
