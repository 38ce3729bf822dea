package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.sandbox.kingdee.Faults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.SandboxOptions;

/**
 * One chaos run: the Kingdee and DingTalk sandboxes in this JVM, a broker process, the three
 * services as processes; customers are edited while services are killed, the broker restarts,
 * both sandboxes answer with faults and malformed records land in every topic. Afterwards every
 * change is checked against the inboxes and the dead-letter topics ({@link ConservationCheck}),
 * the logs are searched for secrets and each service is started with a broken configuration.
 */
public final class ChaosRun {

    static final String JOBS_TOPIC = "kdpipe.extractor.jobs.v1";
    static final int SALESPEOPLE = 24;
    /**
     * A salesperson the directory maps to a DingTalk userid the DingTalk sandbox does not know: the
     * notifier's free contacts check finds it unknown, and notices to them must end in the notices DLT
     * with the reason {@code INVALID_USER}, without a counted call.
     */
    static final String UNKNOWN_SELLER = "XSY024";
    /** Markdown and HTML an ERP user could type into a customer name. */
    static final String INJECTION = "[点我领奖](http://evil.example/phish) ![x](http://evil.example/i.png) <a href=\"http://evil.example\">链接</a> ";

    private final ChaosOptions options;
    private final Random random;
    private final Map<String, Integer> faults = new TreeMap<>();
    private final List<ConservationCheck.Change> changes = new ArrayList<>();

    private ChaosRun(ChaosOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** Runs the whole scenario and returns its report; throws only when the setup itself fails. */
    public static ChaosReport run(ChaosOptions options, java.util.function.Consumer<String> progress) {
        return new ChaosRun(options).execute(progress);
    }

    private ChaosReport execute(java.util.function.Consumer<String> progress) {
        Instant started = Instant.now();
        Path runDir = options.runDir();
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "chaos" + Long.toHexString(System.nanoTime()) + ".";
        Map<String, String> sellerToUser = new LinkedHashMap<>();
        List<SandboxUser> users = new ArrayList<>();
        for (int i = 1; i <= SALESPEOPLE; i++) {
            String seller = String.format("XSY%03d", i);
            sellerToUser.put(seller, userId(seller));
            if (!seller.equals(UNKNOWN_SELLER)) {
                users.add(SandboxUser.of(userId(seller), "销售员" + i, String.format("1390000%04d", i)));
            }
        }
        List<ServiceProcess> services = new ArrayList<>();
        ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor();
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(SandboxOptions.defaults().withCustomers(options.customers()).withSeed(options.seed()));
             DingTalkSandbox dingTalk = DingTalkSandbox.start(io.kdpipe.sandbox.dingtalk.SandboxOptions.builder()
                     .users(users).monthlyQuota(1_000_000).perUserDailyCap(100_000).build());
             BrokerProcess broker = BrokerProcess.start(runDir, options.classpath())) {
            progress.accept("broker at " + broker.bootstrap() + ", runs in " + runDir);
            KafkaIo io = new KafkaIo(broker.bootstrap(), prefix);
            List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
            io.createTopics(topics);
            io.publishDirectory(sellerToUser, Instant.now());

            // session loss mid-pagination: every session is lost after two pages of the snapshot
            kingdee.faults().expireSessionsAfter(2);
            count("Kingdee session lost mid-pagination");
            ServiceSettings settings = new ServiceSettings(broker.bootstrap(), prefix, runDir, kingdee, dingTalk);
            services.add(new ServiceProcess("notifier", ServiceProcess.jar(options.root(), "notifier"), settings.notifier(), runDir));
            services.add(new ServiceProcess("transformer", ServiceProcess.jar(options.root(), "transformer"), settings.transformer(), runDir));
            services.add(new ServiceProcess("extractor", ServiceProcess.jar(options.root(), "extractor"), settings.extractor(), runDir));
            services.forEach(ServiceProcess::start);
            supervisor.scheduleWithFixedDelay(() -> services.forEach(ServiceProcess::superviseOnce), 1, 1, TimeUnit.SECONDS);

            int tableSize = kingdee.table().size();
            Processes.await(() -> snapshotRows(io) >= tableSize, Duration.ofSeconds(120), "the snapshot of " + tableSize + " rows");
            kingdee.faults().expireSessionsAfter(0);
            progress.accept("snapshot of " + tableSize + " rows is in Kafka");

            List<String> allTopics = new ArrayList<>(topics.stream().map(io::name).toList());
            allTopics.add(prefix + JOBS_TOPIC);
            io.write(BadInput.records(allTopics));
            count("malformed records written", BadInput.values().size() * allTopics.size());

            chaosPhase(kingdee, dingTalk, broker, services, progress);
            kingdee.faults().clear();
            dingTalk.faults().clear();
            progress.accept("chaos phase over: " + changes.size() + " changes, faults " + faults);

            ConservationCheck check = new ConservationCheck(io, dingTalk, changes);
            ConservationCheck.Result result = check.run();
            long deadline = System.nanoTime() + options.settle().toNanos();
            while (!result.settled() && System.nanoTime() < deadline) {
                Processes.pause(Duration.ofSeconds(2));
                result = check.run();
            }
            progress.accept("conservation: " + result.summary());

            supervisor.shutdownNow();
            services.forEach(ServiceProcess::close);
            List<ConfigCheck.Outcome> config = ConfigCheck.run(options.root(), runDir, kingdee.options().password());
            List<Path> logs = new ArrayList<>();
            services.forEach(s -> logs.addAll(s.logs()));
            logs.addAll(listLogs(runDir));
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("Kingdee password", kingdee.options().password());
            secrets.put("Kingdee app secret", kingdee.options().appSecret());
            secrets.put("DingTalk app secret", dingTalk.options().appSecret());
            List<String> tokens = dingTalk.issuedTokens();
            for (int i = 0; i < tokens.size(); i++) {
                secrets.put("DingTalk access token #" + (i + 1), tokens.get(i));
            }
            Map<String, Integer> leaks = SecretScan.scan(logs.stream().distinct().toList(), secrets);

            Map<String, Integer> kills = new LinkedHashMap<>();
            Map<String, Integer> crashes = new LinkedHashMap<>();
            services.forEach(s -> {
                kills.put(s.name(), s.kills());
                crashes.put(s.name(), s.unexpectedExits());
            });
            return new ChaosReport(options, Duration.between(started, Instant.now()), faults, kills, crashes, result,
                    dingTalk.stats().duplicates(), config, leaks, tokens.size(), runDir);
        } finally {
            supervisor.shutdownNow();
            services.forEach(ServiceProcess::close);
        }
    }

    private static int snapshotRows(KafkaIo io) {
        Set<String> keys = new HashSet<>();
        io.readAll(io.name(Topics.CUSTOMERS)).forEach(r -> {
            if (r.key() != null) {
                keys.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return keys.size();
    }

    /** Changes, kills, a broker restart and sandbox faults, in one time-ordered schedule. */
    private void chaosPhase(KingdeeSandbox kingdee, DingTalkSandbox dingTalk, BrokerProcess broker, List<ServiceProcess> services,
                            java.util.function.Consumer<String> progress) {
        long phase = options.chaosPhase().toMillis();
        List<Event> events = new ArrayList<>();
        List<Long> ids = new ArrayList<>(kingdee.table().ids());
        java.util.Collections.shuffle(ids, random);
        // at least one change goes to the salesperson DingTalk does not know
        ids.stream().filter(id -> UNKNOWN_SELLER.equals(String.valueOf(kingdee.table().get(id).get("FSELLER.FNumber"))))
                .findFirst().ifPresent(id -> {
                    ids.remove(id);
                    ids.add(1, id);
                });
        for (int i = 0; i < options.changes(); i++) {
            long id = ids.get(i);
            boolean inject = i % 5 == 0;
            int n = i;
            events.add(new Event(phase * i / options.changes(), "change", () -> edit(kingdee, id, n, inject)));
        }
        for (ServiceProcess s : services) {
            for (int k = 0; k < options.killsPerService(); k++) {
                long at = phase / 10 + (long) (random.nextDouble() * phase * 0.7);
                events.add(new Event(at, "kill -9 " + s.name(), () -> {
                    s.kill9();
                    // restart like an orchestrator would, after a random moment of being down
                    Processes.pause(Duration.ofMillis(300 + random.nextInt(1500)));
                    s.start();
                }));
            }
        }
        events.add(new Event(phase / 2, "broker restart", broker::restart));
        Fault[] dingTalkFaults = {Fault.BUSY, Fault.HTTP_5XX, Fault.APP_RATE, Fault.GLOBAL_QPS, Fault.BAN_HTML, Fault.BAN_JSON,
            Fault.HANG_BEFORE_DELIVERY, Fault.HANG_AFTER_DELIVERY};
        int rounds = Math.max(1, options.killsPerService());
        for (int r = 0; r < rounds; r++) {
            for (Fault f : dingTalkFaults) {
                events.add(new Event((long) (random.nextDouble() * phase), "DingTalk " + f, () -> dingTalk.faults().next(f)));
            }
            events.add(new Event((long) (random.nextDouble() * phase), "DingTalk token expired", dingTalk::invalidateToken));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee MsgCode 14", () -> kingdee.faults().next(Faults.throttled())));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee response_error",
                    () -> kingdee.faults().next(Faults.responseError(500, "System.NullReferenceException: 未将对象引用设置到对象的实例"))));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee hung response", () -> kingdee.faults().next(Faults.hang())));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee malformed body (HTML)", () -> kingdee.faults().next(Faults.garbage())));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee malformed body (cut JSON)",
                    () -> kingdee.faults().next(Faults.http(200, "[[\"100001\",\"客户"))));
            events.add(new Event((long) (random.nextDouble() * phase), "Kingdee session lost", kingdee::expireAllSessions));
        }
        events.sort(Comparator.comparingLong(Event::at));
        long start = System.nanoTime();
        for (Event e : events) {
            long wait = e.at() - (System.nanoTime() - start) / 1_000_000;
            if (wait > 0) {
                Processes.pause(Duration.ofMillis(wait));
            }
            e.action().run();
            if (!e.name().equals("change")) {
                count(e.name());
                progress.accept(String.format("%6.1f s  %s", (System.nanoTime() - start) / 1e9, e.name()));
            }
        }
        // the hung Kingdee calls have long timed out on the client side; let the sandbox threads go
        kingdee.faults().releaseHung();
    }

    private void edit(KingdeeSandbox kingdee, long id, int n, boolean inject) {
        String name = (inject ? INJECTION : "") + "混沌客户" + n;
        SandboxCustomer after = kingdee.table().edit(id, Map.of("FName", name));
        Object seller = after.get("FSELLER.FNumber");
        String user = seller == null ? null : userId(seller.toString());
        changes.add(new ConservationCheck.Change(id, user, inject, Instant.now()));
    }

    private void count(String fault) {
        count(fault, 1);
    }

    private void count(String fault, int n) {
        faults.merge(fault, n, Integer::sum);
    }

    static String userId(String seller) {
        return "user-" + seller.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<Path> listLogs(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Event(long at, String name, Runnable action) {
    }

    /** The settings of each service process: fast polls and short pauses so faults heal within a run. */
    static final class ServiceSettings {
        private final String bootstrap;
        private final String prefix;
        private final Path runDir;
        private final KingdeeSandbox kingdee;
        private final DingTalkSandbox dingTalk;

        ServiceSettings(String bootstrap, String prefix, Path runDir, KingdeeSandbox kingdee, DingTalkSandbox dingTalk) {
            this.bootstrap = bootstrap;
            this.prefix = prefix;
            this.runDir = runDir;
            this.kingdee = kingdee;
            this.dingTalk = dingTalk;
        }

        private Map<String, String> base() {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("KDPIPE_TOPIC_PREFIX", prefix);
            env.put("KDPIPE_HTTP_PORT", String.valueOf(Ports.free()));
            return env;
        }

        Map<String, String> extractor() {
            Map<String, String> env = base();
            var o = kingdee.options();
            env.put("KINGDEE_URL", kingdee.baseUrl().toString());
            env.put("KINGDEE_ACCT_ID", o.acctId());
            env.put("KINGDEE_USERNAME", o.username());
            env.put("KINGDEE_AUTH", "PASSWORD");
            env.put("KINGDEE_PASSWORD", o.password());
            env.put("KINGDEE_ZONE", o.zone().getId());
            env.put("KINGDEE_PAGE_SIZE", "50");
            env.put("KINGDEE_TIMEOUT", "3s");
            env.put("KINGDEE_RETRY_BACKOFF", "1s");
            env.put("KINGDEE_RETRY_MAX_BACKOFF", "2s");
            env.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", "1s");
            env.put("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", "6s");
            env.put("KDPIPE_EXTRACTOR_PERMANENT_ERROR_PAUSE", "5s");
            return env;
        }

        Map<String, String> transformer() {
            Map<String, String> env = base();
            env.put("KDPIPE_STATE_DIR", runDir.resolve("streams").toString());
            env.put("KDPIPE_DIGEST_WINDOW", "5s");
            env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
            return env;
        }

        Map<String, String> notifier() {
            Map<String, String> env = base();
            var o = dingTalk.options();
            env.put("DINGTALK_BASE_URL", dingTalk.baseUrl().toString());
            env.put("DINGTALK_APP_KEY", o.appKey());
            env.put("DINGTALK_APP_SECRET", o.appSecret());
            env.put("DINGTALK_AGENT_ID", String.valueOf(o.agentId()));
            env.put("DINGTALK_MONTHLY_BUDGET", String.valueOf(o.monthlyQuota()));
            env.put("DINGTALK_HTTP_TIMEOUT", "2s");
            env.put("NOTIFIER_TRANSACTIONAL_ID", "kdpipe-notifier-chaos");
            env.put("NOTIFIER_RETRY_DEADLINE", "3m");
            env.put("NOTIFIER_RETRY_MAX_BACKOFF", "3s");
            env.put("NOTIFIER_IP_BAN_PAUSE", "3s");
            env.put("NOTIFIER_TEMPORARY_BAN_PAUSE", "3s");
            env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
            return env;
        }
    }
}
