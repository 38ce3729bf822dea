package io.kdpipe.cli.operate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import picocli.CommandLine.Option;

/**
 * Where a command reads the services' settings, the way the services do: environment variables, then
 * the properties file of {@code --config} (or {@code KDPIPE_CONFIG_FILE}) with the same keys; the
 * options below win over both. Shared by the operator commands and {@code kdpipe trail}.
 */
public final class SettingsOptions {

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

    /**
     * A reader over the merged settings: options over {@code env} over the config file.
     *
     * @throws OperateException with {@link ExitCodes#USAGE} when the {@code --config} file cannot be read
     */
    public ConfigReader reader(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(env);
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                throw new OperateException(ExitCodes.USAGE, "--config: cannot read " + configFile);
            }
            merged.put(ConfigSource.CONFIG_FILE, configFile.toString());
        }
        if (bootstrapServers != null) {
            merged.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }
        if (topicPrefix != null) {
            merged.put("KDPIPE_TOPIC_PREFIX", topicPrefix);
        }
        return new ConfigReader(ConfigSource.of(merged));
    }
}
