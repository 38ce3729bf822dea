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
        ServiceRuntime runtime;
        try {
            runtime = start(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        runtime.installShutdownHook();
        runtime.awaitShutdown();
    }

    /**
     * Builds and starts the extractor with its HTTP endpoint ({@code /metrics}, {@code /health/*});
     * closing the returned runtime stops everything in reverse order.
     */
    public static ServiceRuntime start(ExtractorConfig config) {
        return start(config, java.time.Clock.systemUTC());
    }

    /** As {@link #start(ExtractorConfig)}, with the clock the jobs read (benchmarks run it fast, with a sandbox's). */
    public static ServiceRuntime start(ExtractorConfig config, java.time.Clock clock) {
        log.info("Starting with {}", config);
        config.warnings().forEach(w -> log.warn("{}", w));
        ServiceRuntime runtime = new ServiceRuntime("extractor", config.kafka().httpPort());
        try {
            Extractor extractor = runtime.manage("extractor",
                    new Extractor(config, KafkaClients.of(config), new ExtractorMetrics(runtime.registry()), clock));
            runtime.health().readiness("jobs", extractor::readiness);
            runtime.health().liveness("job-group", extractor::liveness);
            runtime.route("/jobs", exchange -> {
                try (exchange) {
                    byte[] body = io.kdpipe.common.contract.Json.mapper().writeValueAsBytes(extractor.jobsView());
                    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            runtime.start();
            extractor.start();
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }
}
