package io.kdpipe.cli.local;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import ch.qos.logback.classic.Level;
import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdpipe local}: the whole pipeline in one process on an embedded Kafka broker, against the
 * Kingdee and DingTalk sandboxes unless real settings are given. Ctrl-C stops it cleanly; the next
 * run resumes where it stopped.
 */
@Command(name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline in one process: an embedded Kafka broker (data kept in --data-dir), "
                    + "the Kingdee and DingTalk sandboxes, and the extractor, transformer and notifier.",
            "Kingdee settings (KINGDEE_URL, ...) or DingTalk settings (DINGTALK_APP_KEY, ...) in the environment "
                    + "or in --config FILE replace the matching sandbox. Ctrl-C stops; the next run resumes."})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".kdpipe/local", description = "Broker and state directory, kept across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Wipe the data directory first: a new cluster, a new snapshot.")
    boolean fresh;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with kdpipe settings (same keys as the environment; the environment wins).")
    Path config;

    @Mixin
    LocalPorts ports;

    @Option(names = "--customers", defaultValue = "200", description = "Customers seeded in the Kingdee sandbox (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--activity", defaultValue = "3s", paramLabel = "INTERVAL",
            description = "How often the sandbox's simulated people save a customer; 0 for none (default: ${DEFAULT-VALUE}).")
    String activity;

    @Option(names = "--verbose", description = "Show the services' own logs too, not just the flow.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Duration interval;
        Map<String, String> settings;
        try {
            interval = activityInterval();
            settings = settings();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!verbose) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.kdpipe")).setLevel(Level.WARN);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.kdpipe.cli")).setLevel(Level.INFO);
            // the broker and clients retry what is transient by themselves; the flow log tells what matters
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("kafka")).setLevel(Level.ERROR);
        }
        LocalOptions options = new LocalOptions(dataDir, fresh, ports.broker, ports.controller(), ports.web,
                ports.extractor(), ports.transformer(), ports.notifier(), customers,
                interval.isZero() ? Duration.ofSeconds(1) : interval, interval.isZero() ? 0 : 1, settings);
        System.out.println("Starting kdpipe local (data in " + dataDir.toAbsolutePath() + (fresh ? ", wiped first" : "") + ") ...");
        long t0 = System.nanoTime();
        LocalRun run;
        try {
            run = LocalRun.start(options, System.out::println);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IllegalStateException | UncheckedIOException e) {
            System.err.println("kdpipe local could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping (the next run resumes from here) ...");
            run.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "kdpipe-local-shutdown"));
        System.out.printf("Ready in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("  Status page:     http://localhost:" + run.webPort() + "/");
        if (run.dingTalk() != null) {
            System.out.println("  DingTalk inbox:  http://localhost:" + run.webPort() + "/inbox");
        }
        run.services().forEach((name, rt) -> System.out.printf("  %-16s http://localhost:%d/metrics  /health/ready%n", name + ":", rt.port()));
        System.out.println(run.kingdee() != null
                ? "  Kingdee sandbox: " + run.kingdee().baseUrl() + (options.changesPerInterval() > 0 ? " (someone saves a customer every " + activity + ")" : "")
                : "  Kingdee:         " + options.settings().get("KINGDEE_URL"));
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /**
     * The user's settings: the {@code --config} file (or {@code KDPIPE_CONFIG_FILE}), with the environment
     * over it; an unreadable file is a {@link ConfigException}.
     */
    Map<String, String> settings() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (config != null) {
            env.put(ConfigSource.CONFIG_FILE, config.toString());
        }
        ConfigSource source = ConfigSource.of(env);
        new ConfigReader(source).validate();
        return source.values();
    }

    /** {@code --activity} read like every duration setting ({@code 250ms}, {@code 3s}, {@code 1m}); {@code 0} for none. */
    Duration activityInterval() {
        String text = activity.strip().equals("0") ? "0s" : activity;
        ConfigReader reader = new ConfigReader(ConfigSource.of(Map.of("--activity", text)));
        Duration interval = reader.duration("--activity", Duration.ofSeconds(3), "how often a simulated person saves a customer");
        reader.validate();
        return interval;
    }
}
