package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InstantsTest {

    /** The first and last second of the years written in the canonical form. */
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void shouldReadWhatToStringWritesAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(MIN, MAX + 1), nanos(random));
            String text = instant.toString();
            assertThat(Instants.parseCanonical(text)).as(text).isEqualTo(instant).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void shouldWriteWhatToStringWrites() {
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 100_000; i++) {
            // now and then just inside or outside the years written here, or far outside them
            long second = switch (random.nextInt(10)) {
                case 0 -> MIN + random.nextLong(-2, 3);
                case 1 -> MAX + random.nextLong(-2, 3);
                case 2 -> random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1);
                default -> random.nextLong(MIN, MAX + 1);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos(random));
            assertThat(Instants.format(instant)).isEqualTo(instant.toString());
        }
        for (Instant instant : new Instant[] {Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("2026-11-28T02:02:03.000000001Z"), Instant.parse("2026-11-28T02:02:03.100Z"),
                Instant.parse("2026-11-28T02:02:03.000100Z"), Instant.parse("2028-02-29T23:59:59.999Z")}) {
            assertThat(Instants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void shouldWriteWhatAnOffsetDateTimeWrites() {
        SplittableRandom random = new SplittableRandom(9);
        ZoneOffset[] offsets = {ZoneOffset.UTC, ZoneOffset.ofHours(8), ZoneOffset.ofHoursMinutes(5, 45), ZoneOffset.ofHours(-5),
                ZoneOffset.ofHoursMinutesSeconds(-3, -30, -15), ZoneOffset.MIN, ZoneOffset.MAX};
        LocalDateTime first = LocalDateTime.of(0, 1, 1, 0, 0);
        for (int i = 0; i < 100_000; i++) {
            // now and then on a whole minute (toString then leaves the seconds out), or outside the years written here
            long second = switch (random.nextInt(10)) {
                case 0 -> random.nextLong(MIN, MAX + 1) / 60 * 60;
                case 1 -> random.nextLong(LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC), LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC));
                case 2 -> first.toEpochSecond(ZoneOffset.UTC) + random.nextLong(-2, 3);
                default -> random.nextLong(MIN, MAX + 1);
            };
            int nanos = random.nextInt(4) == 0 ? 0 : nanos(random);
            LocalDateTime local = LocalDateTime.ofEpochSecond(second, nanos, ZoneOffset.UTC);
            ZoneOffset offset = offsets[random.nextInt(offsets.length)];
            assertThat(Instants.format(local, offset)).isEqualTo(local.atOffset(offset).toString());
        }
        for (String text : new String[] {"2024-04-11T23:52", "2024-04-11T23:52:00.001", "2024-04-11T00:00:01", "0000-01-01T00:00",
                "9999-12-31T23:59:59.999999999", "2024-04-11T23:52:02.583"}) {
            LocalDateTime local = LocalDateTime.parse(text);
            assertThat(Instants.format(local, ZoneOffset.ofHours(8))).isEqualTo(local.atOffset(ZoneOffset.ofHours(8)).toString());
        }
    }

    @Test
    void shouldLeaveEveryOtherFormToTheGeneralParser() {
        SplittableRandom random = new SplittableRandom(7);
        String base = "2026-11-28T02:02:03.583Z";
        char[] alphabet = "0123456789-:.TZ+ ".toCharArray();
        for (int i = 0; i < 100_000; i++) {
            StringBuilder text = new StringBuilder(base);
            int edits = random.nextInt(1, 3);
            for (int e = 0; e < edits; e++) {
                int what = random.nextInt(3);
                int at = random.nextInt(text.length() + (what == 1 ? 1 : 0));
                switch (what) {
                    case 0 -> text.setCharAt(Math.min(at, text.length() - 1), alphabet[random.nextInt(alphabet.length)]);
                    case 1 -> text.insert(at, alphabet[random.nextInt(alphabet.length)]);
                    default -> text.deleteCharAt(Math.min(at, text.length() - 1));
                }
            }
            check(text.toString());
        }
        assertThat(Instants.parseCanonical("2026-11-28T02:02:03.500Z")).isEqualTo(Instant.parse("2026-11-28T02:02:03.5Z"));
        for (String text : new String[] {"2026-11-28T02:02:03.5Z", "2026-11-28T02:02:03.583000Z",
                "2026-11-28T02:02:03.000Z", "2026-11-28T02:02Z", "2026-02-30T02:02:03Z", "2026-11-28T24:00:00Z", "2026-11-28T23:59:60Z",
                "2026-11-28T02:02:03+08:00", "+12026-11-28T02:02:03Z", "2026-11-28t02:02:03Z"}) {
            assertThat(Instants.parseCanonical(text)).as(text).isNull();
            check(text);
        }
    }

    /** Read here only if Instant.parse reads it to the same instant and toString writes it back unchanged. */
    private static void check(String text) {
        Instant read = Instants.parseCanonical(text);
        if (read == null) {
            return;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AssertionError(text + " read here but refused by Instant.parse", e);
        }
        assertThat(read).as(text).isEqualTo(parsed);
        assertThat(read.toString()).as(text).isEqualTo(text);
    }

    /** Nanoseconds that toString writes with no fraction, or with 3, 6 or 9 digits. */
    private static int nanos(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
