package io.kdpipe.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings from a {@link ConfigSource} and collects every problem instead of stopping
 * at the first, so {@link #validate()} can name them all at once. A secret's value never enters a
 * problem message.
 *
 * <p>Each read records the key with its default and meaning ({@link #documented()}), so the
 * configuration reference can be checked against what the code really reads.
 */
public final class ConfigReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Documented> documented = new LinkedHashMap<>();

    /** A key the code reads, with its default ({@code null} when required) and meaning. */
    public record Documented(String key, String defaultValue, String meaning) {
    }

    public ConfigReader(ConfigSource source) {
        this.source = source;
    }

    public ConfigSource source() {
        return source;
    }

    public String string(String key, String defaultValue, String meaning) {
        document(key, defaultValue, meaning);
        return value(key).orElse(defaultValue);
    }

    /** A value that must be present; null (with a problem recorded) when missing. */
    public String required(String key, String meaning) {
        document(key, null, meaning);
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            problems.add(key + ": is required (" + meaning + ")");
        }
        return v.orElse(null);
    }

    public Optional<String> optional(String key, String meaning) {
        document(key, "", meaning);
        return value(key);
    }

    public int integer(String key, int defaultValue, int min, int max, String meaning) {
        return (int) longValue(key, defaultValue, min, max, meaning);
    }

    /**
     * A whole number whose default depends on where the program runs (the CPUs it sees, say): the
     * reference shows {@code defaultText} instead of this machine's value.
     */
    public int integer(String key, int defaultValue, String defaultText, int min, int max, String meaning) {
        document(key, defaultText, meaning);
        return integer(key, defaultValue, min, max, meaning);
    }

    public long longValue(String key, long defaultValue, long min, long max, String meaning) {
        return number(key, defaultValue, meaning, Long::parseLong, "a whole number", n -> n >= min && n <= max,
                (text, n) -> n + " is out of range [" + min + ", " + max + "]");
    }

    public double decimal(String key, double defaultValue, double min, double max, String meaning) {
        return number(key, defaultValue, meaning, Double::parseDouble, "a number", n -> n >= min && n <= max,
                (text, n) -> text + " is out of range [" + min + ", " + max + "]");
    }

    /** A number setting: the default when unset; a problem (and the default) when not a number; a problem when out of range. */
    private <N> N number(String key, N defaultValue, String meaning, Function<String, N> parse, String kind,
                         Predicate<N> inRange, BiFunction<String, N, String> outOfRange) {
        document(key, String.valueOf(defaultValue), meaning);
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            N n = parse.apply(v.get());
            if (!inRange.test(n)) {
                problems.add(key + ": " + outOfRange.apply(v.get(), n));
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + ": '" + v.get() + "' is not " + kind);
            return defaultValue;
        }
    }

    public boolean bool(String key, boolean defaultValue, String meaning) {
        document(key, String.valueOf(defaultValue), meaning);
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(key + ": '" + v.get() + "' is not true or false");
                yield defaultValue;
            }
        };
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT30S}. */
    public Duration duration(String key, Duration defaultValue, String meaning) {
        document(key, format(defaultValue), meaning);
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        Duration d = parseDuration(v.get());
        if (d == null) {
            problems.add(key + ": '" + v.get() + "' is not a duration (e.g. 250ms, 30s, 5m, 2h)");
            return defaultValue;
        }
        if (d.isNegative()) {
            problems.add(key + ": must not be negative");
        }
        return d;
    }

    public URI uri(String key, String defaultValue, String meaning) {
        document(key, defaultValue, meaning);
        Optional<String> v = value(key).or(() -> Optional.ofNullable(defaultValue));
        if (v.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(v.get());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                problems.add(key + ": '" + v.get() + "' is not an http(s) URL");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(key + ": '" + v.get() + "' is not a URL");
            return null;
        }
    }

    public ZoneId zone(String key, String defaultValue, String meaning) {
        document(key, defaultValue, meaning);
        String v = value(key).orElse(defaultValue);
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            problems.add(key + ": '" + v + "' is not a time zone (e.g. Asia/Shanghai, +08:00)");
            return ZoneId.of(defaultValue);
        }
    }

    /** A comma-separated list; blanks are dropped. */
    public List<String> list(String key, String defaultValue, String meaning) {
        document(key, defaultValue, meaning);
        String v = value(key).orElse(defaultValue);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue, String meaning) {
        document(key, defaultValue == null ? null : defaultValue.name(), meaning);
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, v.get().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problems.add(key + ": '" + v.get() + "' is not one of " + Arrays.toString(type.getEnumConstants()));
            return defaultValue;
        }
    }

    /** A secret that must be present. Problems name the key, never the value. */
    public Secret secret(String key, String meaning) {
        document(key, null, meaning + " (secret; may come from " + key + "_FILE)");
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            problems.add(key + ": is required (" + meaning + "); set it or " + key + "_FILE");
            return null;
        }
        return new Secret(v.get());
    }

    public Optional<Secret> optionalSecret(String key, String meaning) {
        document(key, "", meaning + " (secret; may come from " + key + "_FILE)");
        return value(key).map(Secret::new);
    }

    /** Records a problem found by a cross-field check. */
    public void check(boolean ok, String key, String problem) {
        if (!ok) {
            problems.add(key + ": " + problem);
        }
    }

    public List<String> problems() {
        List<String> all = new ArrayList<>(source.problems());
        all.addAll(problems);
        return all;
    }

    /** Throws one {@link ConfigException} naming every problem found so far. */
    public void validate() {
        List<String> all = problems();
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    public List<Documented> documented() {
        return List.copyOf(documented.values());
    }

    private Optional<String> value(String key) {
        return source.get(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    private void document(String key, String defaultValue, String meaning) {
        documented.putIfAbsent(key, new Documented(key, defaultValue, meaning));
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String format(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
