package io.kdpipe.cli.local;

import java.util.HashMap;
import java.util.Map;

import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;

/**
 * The settings each in-process service runs with: local defaults chosen so the first notice shows
 * up fast, then the user's settings over them, then what only the local run can decide (the
 * embedded broker, the ports, the sandboxes' addresses and credentials).
 */
final class LocalSettings {

    /** Local defaults; each can be overridden through the environment or {@code --config}. */
    static final Map<String, String> LOCAL_DEFAULTS = Map.ofEntries(
            // find a change a second after it is saved, not half a minute
            Map.entry("KDPIPE_EXTRACTOR_POLL_INTERVAL", "1s"),
            // one replica: a restart should not wait 30 s for its own old membership to expire
            Map.entry("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", "10s"),
            Map.entry("KDPIPE_EXTRACTOR_PERMANENT_ERROR_PAUSE", "30s"),
            Map.entry("KINGDEE_RETRY_MAX_BACKOFF", "10s"),
            // a burst is folded into a digest after 10 s instead of a minute
            Map.entry("KDPIPE_DIGEST_WINDOW", "10s"),
            Map.entry("NOTIFIER_TRANSACTIONAL_ID", "kdpipe-notifier-local"),
            Map.entry("NOTIFIER_RETRY_DEADLINE", "2m"));

    private final LocalOptions options;
    private final String bootstrap;

    LocalSettings(LocalOptions options, String bootstrap) {
        this.options = options;
        this.bootstrap = bootstrap;
    }

    Map<String, String> extractor(KingdeeSandbox kingdee) {
        Map<String, String> env = base(options.extractorPort());
        if (kingdee != null) {
            env.putAll(kingdee.serviceSettings());
            env.remove("KINGDEE_PASSWORD_FILE");
        }
        return env;
    }

    Map<String, String> transformer(boolean sandboxDingTalk) {
        Map<String, String> env = base(options.transformerPort());
        env.putIfAbsent("KDPIPE_STATE_DIR", options.dataDir().resolve("streams").toAbsolutePath().toString());
        if (sandboxDingTalk && options.realKingdee()) {
            // real salespeople are not in the sandbox's directory: their notices go to one sandbox inbox
            env.putIfAbsent("KDPIPE_RECIPIENTS_FALLBACK", LocalDirectory.FALLBACK_USER);
        }
        return env;
    }

    Map<String, String> notifier(DingTalkSandbox dingTalk) {
        Map<String, String> env = base(options.notifierPort());
        if (dingTalk != null) {
            env.putAll(dingTalk.serviceSettings());
            env.remove("DINGTALK_APP_SECRET_FILE");
            // the sandbox counts like DingTalk's professional edition, so a long local run never runs out
            env.put("DINGTALK_MONTHLY_BUDGET", String.valueOf(dingTalk.options().monthlyQuota()));
        }
        return env;
    }

    private Map<String, String> base(int port) {
        Map<String, String> env = new HashMap<>(LOCAL_DEFAULTS);
        options.settings().forEach((k, v) -> {
            // the embedded broker is the one Kafka here: settings meant for another cluster stay out
            if (!k.startsWith("KAFKA_")) {
                env.put(k, v);
            }
        });
        env.remove("KDPIPE_CONFIG_FILE"); // already merged into the settings
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KDPIPE_HTTP_PORT", String.valueOf(port));
        return env;
    }
}
