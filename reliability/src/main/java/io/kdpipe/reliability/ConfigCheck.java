package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each service started with a broken configuration: it must exit with code 2, name every broken
 * setting, and not echo the secret it was given.
 */
final class ConfigCheck {

    /**
     * @param service   the service
     * @param exitCode  its exit code (-1: still running after 60 s, then killed)
     * @param missing   broken settings its output did not name
     * @param echoedSecret whether its output contains the secret it was given
     */
    record Outcome(String service, int exitCode, List<String> missing, boolean echoedSecret) {
        boolean ok() {
            return exitCode == 2 && missing.isEmpty() && !echoedSecret;
        }
    }

    private ConfigCheck() {
    }

    /** Broken settings per service; every key listed must be named in the output. */
    static Map<String, Map<String, String>> brokenSettings(String secret) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("extractor", Map.of(
                "KDPIPE_HTTP_PORT", "eighty",
                "KINGDEE_URL", "not a url",
                "KINGDEE_PAGE_SIZE", "5000",
                "KINGDEE_PASSWORD", secret)); // KAFKA_BOOTSTRAP_SERVERS, KINGDEE_ACCT_ID, KINGDEE_USERNAME missing
        m.put("transformer", Map.of(
                "KDPIPE_HTTP_PORT", "-1",
                "KDPIPE_DIGEST_WINDOW", "soon"));
        m.put("notifier", Map.of(
                "DINGTALK_RATE_PER_SECOND", "fast",
                "DINGTALK_APP_SECRET", secret,
                "KDPIPE_HTTP_PORT", "99999")); // KAFKA_BOOTSTRAP_SERVERS, DINGTALK_APP_KEY, DINGTALK_AGENT_ID missing
        return m;
    }

    static List<String> mustName(String service) {
        List<String> keys = new ArrayList<>(List.of("KAFKA_BOOTSTRAP_SERVERS", "KDPIPE_HTTP_PORT"));
        switch (service) {
            case "extractor" -> keys.addAll(List.of("KINGDEE_URL", "KINGDEE_PAGE_SIZE", "KINGDEE_ACCT_ID", "KINGDEE_USERNAME"));
            case "transformer" -> keys.add("KDPIPE_DIGEST_WINDOW");
            case "notifier" -> keys.addAll(List.of("DINGTALK_RATE_PER_SECOND", "DINGTALK_APP_KEY", "DINGTALK_AGENT_ID"));
            default -> throw new IllegalArgumentException(service);
        }
        return keys;
    }

    static List<Outcome> run(Path root, Path runDir, String secret) {
        List<Outcome> out = new ArrayList<>();
        brokenSettings(secret).forEach((service, env) -> {
            Path log = runDir.resolve(service + "-bad-config.log");
            ProcessBuilder pb = ServiceProcess.command(ServiceProcess.jar(root, service), log);
            pb.environment().clear();
            pb.environment().putAll(env);
            try {
                Process p = pb.start();
                int code;
                if (p.waitFor(60, TimeUnit.SECONDS)) {
                    code = p.exitValue();
                } else {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    code = -1;
                }
                String text = Files.readString(log, StandardCharsets.UTF_8);
                List<String> missing = mustName(service).stream().filter(k -> !text.contains(k)).toList();
                out.add(new Outcome(service, code, missing, text.contains(secret)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return out;
    }
}
