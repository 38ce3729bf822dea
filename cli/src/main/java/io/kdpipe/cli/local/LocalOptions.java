package io.kdpipe.cli.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one {@code kdpipe local} run is set up.
 *
 * @param dataDir             where the broker and the Streams state live; kept across runs
 * @param fresh               wipe {@code dataDir} first
 * @param brokerPort          the embedded broker's client port (fixed, so a kept cluster restarts)
 * @param controllerPort      the embedded broker's controller port
 * @param webPort             the status and inbox pages; 0 picks a free port
 * @param extractorPort       the extractor's /metrics and /health; 0 picks a free port
 * @param transformerPort     the transformer's /metrics and /health; 0 picks a free port
 * @param notifierPort        the notifier's /metrics and /health; 0 picks a free port
 * @param customers           customers seeded in the Kingdee sandbox
 * @param activityInterval    how often the Kingdee sandbox's simulated people save something
 * @param changesPerInterval  saves per interval; 0 for no simulated activity
 * @param settings            the user's settings (environment over {@code --config} file); Kingdee or
 *                            DingTalk settings among them replace the sandboxes
 */
public record LocalOptions(
        Path dataDir,
        boolean fresh,
        int brokerPort,
        int controllerPort,
        int webPort,
        int extractorPort,
        int transformerPort,
        int notifierPort,
        int customers,
        Duration activityInterval,
        int changesPerInterval,
        Map<String, String> settings) {

    public LocalOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(activityInterval, "activityInterval");
        settings = Map.copyOf(settings);
    }

    /** Real Kingdee settings were given: the Kingdee sandbox stays off. */
    public boolean realKingdee() {
        return present("KINGDEE_URL");
    }

    /** Real DingTalk settings were given: the DingTalk sandbox stays off. */
    public boolean realDingTalk() {
        return present("DINGTALK_APP_KEY");
    }

    private boolean present(String key) {
        String v = settings.get(key);
        return v != null && !v.isBlank();
    }
}
