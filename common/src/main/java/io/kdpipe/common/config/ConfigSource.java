package io.kdpipe.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where settings come from, in order of precedence:
 * <ol>
 *   <li>environment variables, e.g. {@code KDPIPE_HTTP_PORT=8080};</li>
 *   <li>{@code NAME_FILE} variables naming a file that holds the value (Kubernetes Secret mounts);</li>
 *   <li>an optional properties file named by {@code KDPIPE_CONFIG_FILE}, with the same keys.</li>
 * </ol>
 */
public final class ConfigSource {

    public static final String CONFIG_FILE = "KDPIPE_CONFIG_FILE";
    private static final String KAFKA_PREFIX = "KAFKA_";

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    private ConfigSource(Map<String, String> values) {
        this.values = values;
    }

    /** The process environment, plus the file it names in {@code KDPIPE_CONFIG_FILE}. */
    public static ConfigSource fromEnvironment() {
        return of(System.getenv());
    }

    /** The given variables, plus the file they name in {@code KDPIPE_CONFIG_FILE}. */
    public static ConfigSource of(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String file = env.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                props.load(r);
                props.stringPropertyNames().forEach(k -> merged.put(k.trim(), props.getProperty(k).trim()));
            } catch (IOException e) {
                problems.add(CONFIG_FILE + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        merged.putAll(env);
        ConfigSource source = new ConfigSource(merged);
        source.problems.addAll(problems);
        return source;
    }

    /** Every setting as given, the file's under the variables' (a {@code NAME_FILE} variable stays as it is, unread). */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Problems met while reading the sources themselves (an unreadable file). */
    List<String> problems() {
        return problems;
    }

    /** The value of {@code key}, from the variable itself or from the file {@code key_FILE} names. */
    public Optional<String> get(String key) {
        String direct = values.get(key);
        if (direct != null) {
            return Optional.of(direct);
        }
        String file = values.get(key + "_FILE");
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            problems.add(key + "_FILE: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    /**
     * Every {@code KAFKA_*} setting as a Kafka client property: {@code KAFKA_SASL_JAAS_CONFIG} becomes
     * {@code sasl.jaas.config}. Values may come from {@code KAFKA_..._FILE} too.
     */
    public Map<String, String> kafkaSettings() {
        Map<String, String> out = new TreeMap<>();
        for (String key : values.keySet()) {
            if (!key.startsWith(KAFKA_PREFIX) || key.length() == KAFKA_PREFIX.length()) {
                continue;
            }
            String name = key.endsWith("_FILE") && !values.containsKey(key.substring(0, key.length() - 5))
                    ? key.substring(0, key.length() - 5)
                    : key;
            get(name).ifPresent(v -> out.put(
                    name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v));
        }
        return out;
    }
}
