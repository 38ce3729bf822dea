package io.kdpipe.cli.operate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import picocli.CommandLine.Option;

/**
 * The settings every operator command reads the way the services do: environment variables, then
 * the properties file of {@code --config} (or {@code KDPIPE_CONFIG_FILE}) with the same keys; the
 * options below win over both.
 */
public final class ConnectionOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file with the services' keys (KAFKA_BOOTSTRAP_SERVERS=..., DINGTALK_APP_KEY=...); "
                    + "same as KDPIPE_CONFIG_FILE")
    Path configFile;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers; overrides KAFKA_BOOTSTRAP_SERVERS")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "prefix of every kdpipe topic; overrides KDPIPE_TOPIC_PREFIX")
    String topicPrefix;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait for Kafka (and DingTalk) before giving up (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** A reader over the merged settings: options over environment over the config file. */
    ConfigReader reader(OperateContext context) {
        Map<String, String> env = new HashMap<>(context.env());
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                throw new OperateException(ExitCodes.USAGE, "--config: cannot read " + configFile);
            }
            env.put(ConfigSource.CONFIG_FILE, configFile.toString());
        }
        if (bootstrapServers != null) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }
        if (topicPrefix != null) {
            env.put("KDPIPE_TOPIC_PREFIX", topicPrefix);
        }
        return new ConfigReader(ConfigSource.of(env));
    }

    Duration timeout() {
        if (timeoutSeconds < 1) {
            throw new OperateException(ExitCodes.USAGE, "--timeout must be at least 1 second");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
