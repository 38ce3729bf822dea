package io.kdpipe.cli.operate;

import java.time.Duration;

import io.kdpipe.common.config.ConfigReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every operator command shares: where the settings come from ({@link SettingsOptions})
 * and how long to wait for Kafka and DingTalk.
 */
public final class ConnectionOptions {

    @Mixin
    SettingsOptions settings;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait for Kafka (and DingTalk) before giving up (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** A reader over the merged settings: options over environment over the config file. */
    ConfigReader reader(OperateContext context) {
        return settings.reader(context.env());
    }

    Duration timeout() {
        if (timeoutSeconds < 1) {
            throw new OperateException(ExitCodes.USAGE, "--timeout must be at least 1 second");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
