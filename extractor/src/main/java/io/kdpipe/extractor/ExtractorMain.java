package io.kdpipe.extractor;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extractor's composition root: configuration from the environment, then every part built
 * here with {@code new}, started, and closed in reverse order on SIGTERM.
 */
public final class ExtractorMain {

    private static final Logger log = LoggerFactory.getLogger(ExtractorMain.class);

    private ExtractorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExtractorConfig config;
        try {
            config = ExtractorConfig.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        log.info("Starting with {}", config);
        ServiceRuntime runtime = new ServiceRuntime("extractor", config.kafka().httpPort());
        Extractor extractor = new Extractor(config, new ExtractorMetrics(runtime.registry()));
        runtime.manage("extractor", extractor);
        runtime.health().readiness("jobs", extractor::readiness);
        runtime.start().installShutdownHook();
        extractor.start();
        runtime.awaitShutdown();
    }
}
