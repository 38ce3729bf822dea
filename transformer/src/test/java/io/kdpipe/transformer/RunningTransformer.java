package io.kdpipe.transformer;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.testkit.KafkaBroker;

/** A transformer started through its composition root against a real broker, with its own state directory. */
final class RunningTransformer implements AutoCloseable {

    final TransformerMain main;
    private final Path stateDir;

    private RunningTransformer(TransformerMain main, Path stateDir) {
        this.main = main;
        this.stateDir = stateDir;
    }

    static RunningTransformer start(KafkaBroker broker, String prefix, String applicationId, Map<String, String> settings) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("transformer-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", applicationId);
        env.put("KDPIPE_STATE_DIR", stateDir.toString());
        env.put("KDPIPE_HTTP_PORT", "0");
        // short transactions keep the test quick (100 ms is the exactly-once default; stated so the test does not rely on it)
        env.put("KAFKA_COMMIT_INTERVAL_MS", "100");
        env.putAll(settings);
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
        ServiceRuntime runtime = new ServiceRuntime("transformer", 0);
        TransformerMain main = TransformerMain.start(config, runtime);
        runtime.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> main.runtime().health().ready().up());
        return new RunningTransformer(main, stateDir);
    }

    @Override
    public void close() {
        main.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
