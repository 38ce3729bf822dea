package io.kdpipe.common.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/** Instants in the one form {@link Instant#toString()} writes, read without a formatter. */
final class Instants {

    private Instants() {
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
