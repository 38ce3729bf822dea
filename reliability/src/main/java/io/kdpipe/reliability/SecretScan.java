package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts, per secret, the log files that contain its value (the values themselves are never reported). */
final class SecretScan {

    private SecretScan() {
    }

    static Map<String, Integer> scan(List<Path> logs, Map<String, String> secrets) {
        Map<String, Integer> hits = new LinkedHashMap<>();
        for (Path log : logs) {
            String text;
            try {
                text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + log, e);
            }
            secrets.forEach((name, value) -> {
                if (value != null && value.length() >= 6 && text.contains(value)) {
                    hits.merge(name + " in " + log.getFileName(), 1, Integer::sum);
                }
            });
        }
        return hits;
    }
}
