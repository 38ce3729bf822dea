package io.kdpipe.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.runtime.CloseOrder;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.ExtractorConfig;
import io.kdpipe.extractor.ExtractorMain;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerMain;
import org.apache.kafka.clients.admin.Admin;

/**
 * Everything {@code kdpipe local} runs, in one process: an embedded KRaft broker whose data stays
 * in {@link LocalOptions#dataDir()}, every declared topic, the Kingdee and DingTalk sandboxes (unless
 * real settings replace them), the directory that joins them, the extractor, transformer and
 * notifier (each with its own {@link ServiceRuntime} and port), a flow log and the web pages.
 *
 * <p>{@link #close()} stops it all in reverse start order, once: the source first (simulated
 * activity, extractor), then the transformer and notifier, so every stage commits what it has
 * before the broker goes. A later start with the same data directory resumes from the checkpoints,
 * the Streams state and the delivery ledger, so nothing is notified twice.
 */
public final class LocalRun implements AutoCloseable {

    private final CloseOrder started = new CloseOrder();
    private KingdeeSandbox kingdee;
    private DingTalkSandbox dingTalk;
    private EmbeddedKafkaBroker broker;
    private FlowLog flow;
    private WebPages web;
    private final Map<String, ServiceSlot> services = new LinkedHashMap<>();
    private LivenessWatch liveness;

    private LocalRun() {
    }

    /**
     * Starts everything; on a failure whatever already started is stopped again before the error
     * is thrown. Bad settings throw a {@code ConfigException} naming every problem, before the
     * broker starts.
     */
    public static LocalRun start(LocalOptions options, Consumer<String> out) {
        return start(options, out, LivenessWatch.Settings.DEFAULT);
    }

    static LocalRun start(LocalOptions options, Consumer<String> out, LivenessWatch.Settings watch) {
        LocalRun run = new LocalRun();
        try {
            run.startAll(options, out, watch);
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    private void startAll(LocalOptions options, Consumer<String> out, LivenessWatch.Settings watch) {
        Instant startedAt = Clock.systemUTC().instant();
        if (options.fresh()) {
            requireOnlyLocalData(options.dataDir());
            deleteRecursively(options.dataDir());
        }
        String prefix = options.settings().getOrDefault("KDPIPE_TOPIC_PREFIX", "");
        String bootstrap = "localhost:" + options.brokerPort();

        LocalDirectory directory = null;
        if (!options.realKingdee()) {
            kingdee = manage("Kingdee sandbox", KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(options.customers())));
        }
        if (!options.realDingTalk()) {
            directory = LocalDirectory.of(kingdee == null ? List.of() : kingdee.table().all());
            dingTalk = manage("DingTalk sandbox", DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                    .users(directory.users()).monthlyQuota(200_000).perUserDailyCap(10_000).build()));
        }

        // every setting is checked before anything heavier starts
        LocalSettings settings = new LocalSettings(options, bootstrap);
        List<String> problems = new ArrayList<>();
        ExtractorConfig extractorConfig = read(ExtractorConfig::read, settings.extractor(kingdee), problems);
        TransformerConfig transformerConfig = read(TransformerConfig::read, settings.transformer(dingTalk != null), problems);
        NotifierConfig notifierConfig = read(NotifierConfig::read, settings.notifier(dingTalk), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().distinct().toList());
        }

        requireFree(options.brokerPort(), "the broker");
        requireFree(options.controllerPort(), "the broker's controller");
        broker = manage("Kafka broker", EmbeddedKafkaBroker.builder()
                .dataDir(options.dataDir().resolve("kafka"))
                .keepData(true)
                .port(options.brokerPort(), options.controllerPort())
                .start());
        Map<String, Object> clients = extractorConfig.kafka().clientProperties();
        List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
        topics.add(Topics.jobs(extractorConfig.jobs().size()));
        try (Admin admin = Admin.create(clients)) {
            new TopicInitializer(admin, prefix, (short) -1).ensure(topics);
        }
        if (directory != null && kingdee != null) {
            directory.publish(clients, LocalDirectory.topic(prefix), Clock.systemUTC().instant());
        }

        flow = manage("flow log", new FlowLog(clients, prefix, out, Clock.systemUTC(), startedAt).start());

        // downstream first, so the first rows find their readers waiting
        services.put("notifier", manage("notifier", new ServiceSlot("notifier", () -> NotifierMain.start(notifierConfig))));
        services.put("transformer", manage("transformer", new ServiceSlot("transformer", () -> TransformerMain.start(transformerConfig))));
        services.put("extractor", manage("extractor", new ServiceSlot("extractor", () -> ExtractorMain.start(extractorConfig))));
        // a service whose work died while this process lives is restarted, then stopped, with a message
        liveness = manage("liveness watch", new LivenessWatch(List.copyOf(services.values()), watch, Clock.systemUTC(), out).start());
        if (kingdee != null && options.changesPerInterval() > 0) {
            manage("simulated activity", kingdee.simulateActivity(options.activityInterval(), options.changesPerInterval()));
        }

        List<WebPages.ServiceLink> links = new ArrayList<>();
        services().forEach((name, rt) -> links.add(new WebPages.ServiceLink(name, rt.port())));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Kafka broker", bootstrap + " (data in " + options.dataDir().toAbsolutePath() + ")");
        facts.put("Kingdee", kingdee == null ? "real: " + options.settings().get("KINGDEE_URL")
                : "sandbox at " + kingdee.baseUrl() + " (" + kingdee.table().size() + " customers)");
        facts.put("DingTalk", dingTalk == null ? "real: " + notifierConfig.dingTalkBaseUrl() : "sandbox at " + dingTalk.baseUrl());
        web = manage("web pages", new WebPages(options.webPort(), () -> flow.counts(), dingTalk, links, facts).start());
    }

    /** Reads one service's settings; its problems join the others', so all are told at once. */
    private static <T> T read(Function<ConfigReader, T> reader, Map<String, String> env, List<String> problems) {
        try {
            return reader.apply(new ConfigReader(ConfigSource.of(env)));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** The broker stops the whole process when it cannot bind; a clear message first is kinder. */
    private static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + what + " is in use: is another kdpipe local running? "
                    + "(choose other ports with --broker-port)");
        }
    }

    private <T extends AutoCloseable> T manage(String name, T resource) {
        return started.add(name, resource);
    }

    /** The Kingdee sandbox, or null when a real Kingdee is used. */
    public KingdeeSandbox kingdee() {
        return kingdee;
    }

    /** The DingTalk sandbox, or null when a real DingTalk is used. */
    public DingTalkSandbox dingTalk() {
        return dingTalk;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The status page's port; the inboxes are below {@code /inbox}. */
    public int webPort() {
        return web.port();
    }

    /** Each running in-process service's runtime (metrics registry, health, port), by name; a restart replaces it. */
    public Map<String, ServiceRuntime> services() {
        Map<String, ServiceRuntime> inFlowOrder = new LinkedHashMap<>();
        for (String name : List.of("extractor", "transformer", "notifier")) {
            ServiceSlot slot = services.get(name);
            if (slot != null && slot.runtime() != null) {
                inFlowOrder.put(name, slot.runtime());
            }
        }
        return Collections.unmodifiableMap(inFlowOrder);
    }

    /** Per service, unhealthy liveness periods and restarts because of them. */
    Map<String, LivenessWatch.Counts> liveness() {
        return liveness == null ? Map.of() : liveness.counts();
    }

    FlowLog.Counts counts() {
        return flow.counts();
    }

    @Override
    public void close() {
        started.close();
    }

    /** {@code --fresh} wipes what a local run keeps there, never a directory that holds anything else. */
    private static void requireOnlyLocalData(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> foreign = entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("kafka") && !name.equals("streams")).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new IllegalStateException("--fresh wipes only a kdpipe local data directory, but " + dir
                        + " also holds " + foreign);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look into " + dir, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not wipe " + dir, e);
        }
    }
}
