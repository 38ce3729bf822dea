package io.kdpipe.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One chaos run: the Kingdee and DingTalk sandboxes in this JVM, a broker process, the three
 * services as processes; customers are edited while services are killed (the notifier once right
 * after DingTalk answered a send, before its ledger commit), the broker is restarted
 * cleanly and killed, both sandboxes answer with faults and malformed records land in every topic
 * (and under real keys of the checkpoint, ledger and directory topics). Afterwards the run waits
 * until the pipeline is at rest, checks every change against the outcome planned for it
 * ({@link ConservationCheck}) and every planned fault against the faults that fired
 * ({@link FaultLog}), searches the logs for secrets and starts each service with a broken
 * configuration.
 */
public final class ChaosRun {

    static final int SALESPEOPLE = 24;
    /**
     * A salesperson the directory maps to a DingTalk userid the DingTalk sandbox does not know: notices
     * to them must end in the notices DLT with one of the {@link #UNKNOWN_USER_REASONS}, without a
     * counted call.
     */
    static final String UNKNOWN_SELLER = "XSY024";
    /**
     * The notifier's free contacts check finds the id unknown: {@code INVALID_USER}. Once the check has
     * recorded that in the directory, the transformer routes later changes of that salesperson to
     * nobody, and the notifier dead-letters them with {@code NO_RECIPIENTS}.
     */
    static final List<String> UNKNOWN_USER_REASONS = List.of("notifier: PERMANENT/INVALID_USER", "notifier: PERMANENT/NO_RECIPIENTS");
    /** Markdown and HTML an ERP user could type into a customer name. */
    static final String INJECTION = "[点我领奖](http://evil.example/phish) ![x](http://evil.example/i.png) <a href=\"http://evil.example\">链接</a> ";
    /** What the notifier logs when a ledger transaction aborts and its notices are read (and sent) again. */
    static final String LEDGER_ABORT_LOG = "Ledger transaction failed";
    /** Notices per ledger transaction ({@code NOTIFIER_COMMIT_BATCH}): how many one interrupted commit can resend. */
    static final int NOTICES_PER_TRANSACTION = 1;
    /** What the notifier logs when the group takes notice partitions away without a revoke. */
    static final String PARTITIONS_LOST_LOG = "Notice partitions lost without a commit";
    /** Sends after which the DingTalk sandbox invalidates the access token. */
    static final int TOKEN_EXPIRES_EVERY_SENDS = 8;
    /** Topics whose readers look records up by key and have no dead-letter topic. */
    static final List<Topic<?, ?>> REAL_KEY_TOPICS = List.of(Topics.CHECKPOINTS, Topics.DELIVERIES, Topics.DIRECTORY);
    /** Real keys per topic that get malformed records. */
    static final int REAL_KEYS_PER_TOPIC = 2;

    private final ChaosOptions options;
    private final Random random;
    private final Map<String, Integer> planned = new TreeMap<>();
    private final Map<String, Long> fired = new TreeMap<>();
    /** Task ids of the sends whose answer the notifier was killed at. */
    private final List<Long> killedAtAnswer = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> kingdeeMarkers = new HashMap<>();
    private final List<Instant> sessionLossesAt = new ArrayList<>();
    private final Map<String, Integer> realKeyRecords = new TreeMap<>();
    private final Set<String> realCheckpointKeys = new HashSet<>();
    private final List<ConservationCheck.Change> changes = new ArrayList<>();
    private final Map<String, String> sellerToUser = new LinkedHashMap<>();

    private ChaosRun(ChaosOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** Runs the whole scenario and returns its report; throws only when the setup itself fails. */
    public static ChaosReport run(ChaosOptions options, Consumer<String> progress) {
        return new ChaosRun(options).execute(progress);
    }

    private ChaosReport execute(Consumer<String> progress) {
        Instant started = Instant.now();
        Path runDir = options.runDir();
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "chaos" + Long.toHexString(System.nanoTime()) + ".";
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
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(options.customers()).withSeed(options.seed()));
             KingdeeRelay relay = KingdeeRelay.start(kingdee.baseUrl(), Duration.ofSeconds(8));
             DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                     .users(users).monthlyQuota(1_000_000).perUserDailyCap(100_000).build());
             BrokerProcess broker = BrokerProcess.start(runDir, options.classpath())) {
            progress.accept("broker at " + broker.bootstrap() + ", runs in " + runDir);
            KafkaIo io = new KafkaIo(broker.bootstrap(), prefix);
            List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
            io.createTopics(topics);
            io.publishDirectory(sellerToUser, Instant.now());

            // session loss mid-pagination: every session is lost after two pages of the snapshot
            kingdee.faults().expireSessionsAfter(2);
            plan(ChaosFault.SESSION_LOST_MID_PAGINATION.label());
            ServiceSettings settings = new ServiceSettings(broker.bootstrap(), prefix, runDir, relay.baseUrl(), kingdee, dingTalk);
            services.add(new ServiceProcess("notifier", ServiceProcess.jar(options.root(), "notifier"), settings.notifier(), runDir,
                    options.livenessRestartAfter()));
            services.add(new ServiceProcess("transformer", ServiceProcess.jar(options.root(), "transformer"), settings.transformer(), runDir,
                    options.livenessRestartAfter()));
            services.add(new ServiceProcess("extractor", ServiceProcess.jar(options.root(), "extractor"), settings.extractor(), runDir,
                    options.livenessRestartAfter()));
            services.forEach(ServiceProcess::start);
            supervisor.scheduleWithFixedDelay(() -> services.forEach(ServiceProcess::superviseOnce), 1, 1, TimeUnit.SECONDS);

            int tableSize = kingdee.table().size();
            await("the snapshot of " + tableSize + " rows").pollInSameThread().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).until(() -> snapshotRows(io) >= tableSize);
            kingdee.faults().expireSessionsAfter(0);
            fired.put(ChaosFault.SESSION_LOST_MID_PAGINATION.label(), (long) relay.sessionLost().size());
            progress.accept("snapshot of " + tableSize + " rows is in Kafka");

            List<String> allTopics = new ArrayList<>(topics.stream().map(io::name).toList());
            allTopics.add(Topics.JOBS.name(prefix));
            plan(ChaosFault.MALFORMED.label(), BadInput.values().size() * allTopics.size());
            fired.put(ChaosFault.MALFORMED.label(), (long) io.write(BadInput.records(allTopics)));

            chaosPhase(kingdee, dingTalk, broker, services, io, progress);

            // queued faults fire on the next calls; give the last ones the time to. A session loss or an invalidated
            // token a restarted service never met (a new process logs in and fetches a token afresh) is injected
            // again every few seconds until a call meets it
            Instant[] lastAgain = {Instant.MIN};
            try {
                await("every planned fault to fire").pollInSameThread().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            countFired(relay, dingTalk, broker, services, io);
                            if (Instant.now().isAfter(lastAgain[0].plusSeconds(5))) {
                                lastAgain[0] = Instant.now();
                                if (fired.getOrDefault(ChaosFault.SESSION_LOST.label(), 0L) == 0) {
                                    sessionLossesAt.add(Instant.now());
                                    kingdee.expireAllSessions();
                                }
                                if (fired.getOrDefault(FaultLog.TOKEN_EXPIRED, 0L) == 0) {
                                    dingTalk.invalidateToken();
                                }
                            }
                            return new FaultLog(planned, fired).neverFired().isEmpty();
                        });
            } catch (ConditionTimeoutException e) {
                // the report names each fault that never fired, and the run fails on it
            }
            kingdee.faults().clear();
            dingTalk.faults().clear();
            progress.accept("chaos phase over: " + changes.size() + " changes, faults " + new FaultLog(planned, fired).neverFired().size()
                    + " never fired");

            List<String> output = List.of(Topics.CUSTOMERS, Topics.NOTICES, Topics.DELIVERIES, Topics.NOTICES_DLT, Topics.ROWS_DLT, Topics.TRAIL)
                    .stream().map(io::name).toList();
            List<String> stalled = new Quiescence(broker.bootstrap(), output).await(options.quiet(), options.settle());
            progress.accept(stalled.isEmpty() ? "at rest" : "not at rest: " + stalled);
            countFired(relay, dingTalk, broker, services, io);

            ServiceProcess notifier = services.get(0);
            ConservationCheck.DuplicateBound bound = new ConservationCheck.DuplicateBound(
                    notifier.kills() + notifier.livenessRestarts() + notifier.unexpectedExits(),
                    fired.getOrDefault(FaultLog.dingTalk(Fault.HANG_AFTER_DELIVERY), 0L).intValue(),
                    countInLogs(notifier.logs(), LEDGER_ABORT_LOG),
                    countInLogs(notifier.logs(), PARTITIONS_LOST_LOG),
                    NOTICES_PER_TRANSACTION);
            ConservationCheck.Result result = ConservationCheck.verdict(changes, ConservationCheck.gather(io, dingTalk, bound, stalled));
            progress.accept("conservation: " + result.summary());
            List<String> realKeyProblems = checkpointsReadable(io);

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
            Map<String, Integer> unhealthy = new LinkedHashMap<>();
            Map<String, Integer> livenessRestarts = new LinkedHashMap<>();
            services.forEach(s -> {
                kills.put(s.name(), s.kills());
                crashes.put(s.name(), s.unexpectedExits());
                unhealthy.put(s.name(), s.unhealthyPeriods());
                livenessRestarts.put(s.name(), s.livenessRestarts());
            });
            return new ChaosReport(options, Duration.between(started, Instant.now()), new FaultLog(planned, fired), kills, crashes, unhealthy,
                    livenessRestarts, result, realKeyRecords, realKeyProblems, config, leaks, tokens.size(), runDir);
        } finally {
            supervisor.shutdownNow();
            services.forEach(ServiceProcess::close);
        }
    }

    private static int snapshotRows(KafkaIo io) {
        Set<String> keys = new HashSet<>();
        io.readAll(io.name(Topics.CUSTOMERS)).forEach(r -> {
            if (r.key() != null) {
                keys.add(new String(r.key(), StandardCharsets.UTF_8));
            }
        });
        return keys.size();
    }

    /** Changes, kills, broker stops, sandbox faults and records under real keys, in one time-ordered schedule. */
    private void chaosPhase(KingdeeSandbox kingdee, DingTalkSandbox dingTalk, BrokerProcess broker, List<ServiceProcess> services,
                            KafkaIo io, Consumer<String> progress) {
        long phase = options.chaosPhase().toMillis();
        List<Event> events = new ArrayList<>();
        List<Long> ids = new ArrayList<>(kingdee.table().ids().stream().filter(id -> kingdee.table().get(id).get("FSELLER.FNumber") != null).toList());
        Collections.shuffle(ids, random);
        // at least one change goes to the salesperson DingTalk does not know
        // the first two changes go to salespeople DingTalk knows (see below); at least one after them to the one it does not
        for (int p = 0; p < 2; p++) {
            for (int j = p; j < ids.size(); j++) {
                if (!UNKNOWN_SELLER.equals(String.valueOf(kingdee.table().get(ids.get(j)).get("FSELLER.FNumber")))) {
                    ids.add(p, ids.remove(j));
                    break;
                }
            }
        }
        ids.stream().skip(2).filter(id -> UNKNOWN_SELLER.equals(String.valueOf(kingdee.table().get(id).get("FSELLER.FNumber"))))
                .findFirst().ifPresent(id -> {
                    ids.remove(id);
                    ids.add(2, id);
                });
        killAtAnswerBeforeThePhase(kingdee, dingTalk, services.get(0), ids, progress);
        int inPhase = Math.max(1, options.changes() - 2);
        for (int i = 2; i < options.changes(); i++) {
            long id = ids.get(i);
            boolean inject = i % 5 == 0;
            int n = i;
            events.add(new Event(phase * (i - 2) / inPhase, null, () -> edit(kingdee, id, n, inject)));
        }
        for (ServiceProcess s : services) {
            for (int k = 0; k < options.killsPerService(); k++) {
                long at = phase / 10 + (long) (random.nextDouble() * phase * 0.7);
                events.add(new Event(at, "kill -9 " + s.name(), () -> {
                    s.kill9();
                    // restart like an orchestrator would, after a random moment of being down
                    Processes.pause(Duration.ofMillis(300 + random.nextInt(1500)));
                    s.startUnlessRunning();
                }));
            }
        }
        events.add(new Event(phase * 3 / 10, ChaosFault.BROKER_RESTART.label(), broker::restart));
        events.add(new Event(phase * 6 / 10, ChaosFault.BROKER_KILL.label(), broker::kill9AndStart));
        events.add(new Event(phase * 4 / 10, null, () -> writeUnderRealKeys(io, progress)));
        REAL_KEY_TOPICS.forEach(t -> plan(malformedUnderRealKeys(t)));
        Fault[] dingTalkFaults = {Fault.BUSY, Fault.HTTP_5XX, Fault.APP_RATE, Fault.GLOBAL_QPS, Fault.BAN_HTML, Fault.BAN_JSON,
            Fault.HANG_BEFORE_DELIVERY, Fault.HANG_AFTER_DELIVERY};
        int rounds = Math.max(1, options.killsPerService());
        // faults go into the first 80 % of the phase, so the changes after them make the calls they fire on
        double window = phase * 0.8;
        for (int r = 0; r < rounds; r++) {
            for (Fault f : dingTalkFaults) {
                events.add(new Event((long) (random.nextDouble() * window), FaultLog.dingTalk(f), () -> dingTalk.faults().next(f)));
            }
            kingdeeFault(events, window, kingdee, "Kingdee MsgCode 14", m -> KingdeeFaults.msgCode(14, "调用次数超过限制，请稍后再试 " + m));
            kingdeeFault(events, window, kingdee, "Kingdee response_error",
                    m -> KingdeeFaults.responseError(500, "System.NullReferenceException: 未将对象引用设置到对象的实例 " + m));
            events.add(new Event((long) (random.nextDouble() * window), ChaosFault.KINGDEE_HANG.label(), () -> kingdee.faults().next(KingdeeFaults.hang())));
            kingdeeFault(events, window, kingdee, "Kingdee malformed body (HTML)", m -> new KingdeeFaults.HttpAnswer(200, "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><head><title>金蝶云星空 - 登录</title></head><body>请登录<!-- " + m + " --></body></html>"));
            kingdeeFault(events, window, kingdee, "Kingdee malformed body (cut JSON)", m -> KingdeeFaults.http(200, "[[\"100001\",\"客户" + m));
            events.add(new Event((long) (random.nextDouble() * window), ChaosFault.SESSION_LOST.label(), () -> {
                sessionLossesAt.add(Instant.now());
                kingdee.expireAllSessions();
            }));
        }
        // the access token is invalidated after every few sends, so an expiry always meets a call that notices it
        dingTalk.faults().invalidateTokenEvery(TOKEN_EXPIRES_EVERY_SENDS);
        plan(FaultLog.TOKEN_EXPIRED);
        events.sort(Comparator.comparingLong(Event::at));
        events.stream().map(Event::name).filter(Objects::nonNull).forEach(this::plan);
        long start = System.nanoTime();
        for (Event e : events) {
            long wait = e.at() - (System.nanoTime() - start) / 1_000_000;
            if (wait > 0) {
                Processes.pause(Duration.ofMillis(wait));
            }
            e.action().run();
            if (e.name() != null) {
                progress.accept(String.format("%6.1f s  %s", (System.nanoTime() - start) / 1e9, e.name()));
            }
        }
    }

    /**
     * Before the phase: the first change's send sets off the notifier kill at DingTalk's answer, and
     * the second change, delivered by the restarted notifier, shows it is back. So the kill lands
     * before any other fault, and a notifier starting afresh never meets a broker stop or a queued
     * DingTalk fault it would hold up. Times out quietly: a kill that never landed fails the run as a
     * planned fault that never fired.
     */
    private void killAtAnswerBeforeThePhase(KingdeeSandbox kingdee, DingTalkSandbox dingTalk, ServiceProcess notifier, List<Long> ids,
                                            Consumer<String> progress) {
        plan(ChaosFault.NOTIFIER_KILL_AT_ANSWER.label());
        killAtNextAnswer(dingTalk, notifier, progress);
        edit(kingdee, ids.get(0), 0, true);
        try {
            await("the notifier killed at DingTalk's answer").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !killedAtAnswer.isEmpty());
            long delivered = dingTalk.stats().delivered();
            edit(kingdee, ids.get(1), 1, false);
            await("the restarted notifier to deliver").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dingTalk.stats().delivered() > delivered);
            progress.accept("the notifier is back after its kill at DingTalk's answer");
        } catch (ConditionTimeoutException e) {
            progress.accept("the notifier kill at DingTalk's answer: " + e.getMessage());
            if (ids.size() > 1 && changes.size() < 2) {
                edit(kingdee, ids.get(1), 1, false);
            }
        }
    }

    /**
     * Has the DingTalk sandbox SIGKILL the notifier right after it answered the next send it accepted,
     * and restarts the notifier 0.3–1.8 s later. Armed again when the notifier was down already.
     */
    private void killAtNextAnswer(DingTalkSandbox dingTalk, ServiceProcess notifier, Consumer<String> progress) {
        dingTalk.onNextSendAnswered(taskId -> {
            // on the sandbox's answering thread: the kill lands while the notifier holds the answer uncommitted
            int before = notifier.kills();
            notifier.kill9();
            if (notifier.kills() == before) {
                killAtNextAnswer(dingTalk, notifier, progress);
                return;
            }
            killedAtAnswer.add(taskId);
            Thread restart = new Thread(() -> {
                Processes.pause(Duration.ofMillis(300 + random.nextInt(1500)));
                notifier.startUnlessRunning();
            }, "chaos-notifier-restart");
            restart.setDaemon(true);
            restart.start();
            progress.accept("notifier killed at DingTalk's answer to task " + taskId);
        });
    }

    /** Kills at DingTalk's answer whose send never reached the ledger: they landed between the answer and the commit. */
    static long killsInsideTheWindow(List<Long> killedAtTasks, List<DeliveryRecord> ledger) {
        Set<Long> committed = new HashSet<>();
        ledger.forEach(r -> committed.addAll(r.taskIds()));
        return killedAtTasks.stream().filter(t -> !committed.contains(t)).count();
    }

    /** A Kingdee fault whose body carries a marker, so the relay can count it when the extractor gets it. */
    private void kingdeeFault(List<Event> events, double window, KingdeeSandbox kingdee, String name,
                              Function<String, KingdeeFaults.Fault> fault) {
        int id = kingdeeMarkers.size() + 1;
        kingdeeMarkers.put(id, name);
        events.add(new Event((long) (random.nextDouble() * window), name, () -> kingdee.faults().next(fault.apply(KingdeeRelay.marker(id)))));
    }

    private void plan(String fault) {
        plan(fault, 1);
    }

    private void plan(String fault, int n) {
        planned.merge(fault, n, Integer::sum);
    }
    /** Reads what fired so far from the sandboxes, the relay and the processes. */
    private void countFired(KingdeeRelay relay, DingTalkSandbox dingTalk, BrokerProcess broker, List<ServiceProcess> services, KafkaIo io) {
        fired.putAll(FaultLog.dingTalkFired(dingTalk.journal(), dingTalk.stats()));
        Map<String, Long> kingdeeFired = new TreeMap<>();
        kingdeeMarkers.forEach((id, name) -> kingdeeFired.merge(name, relay.seen(id), Long::sum));
        fired.putAll(kingdeeFired);
        fired.put(ChaosFault.KINGDEE_HANG.label(), relay.hung());
        fired.put(ChaosFault.SESSION_LOST.label(), sessionLossesNoticed(sessionLossesAt, relay.sessionLost()));
        fired.put(ChaosFault.BROKER_RESTART.label(), (long) broker.cleanRestarts());
        fired.put(ChaosFault.BROKER_KILL.label(), (long) broker.kills());
        if (!killedAtAnswer.isEmpty()) {
            fired.put(ChaosFault.NOTIFIER_KILL_AT_ANSWER.label(), killsInsideTheWindow(killedAtAnswer, ConservationCheck.ledger(io)));
        }
        services.forEach(s -> fired.put("kill -9 " + s.name(), (long) s.kills()));
    }

    /** Session losses the extractor ran into: those followed by a "session lost" answer before the next loss. */
    static long sessionLossesNoticed(List<Instant> losses, List<Instant> answers) {
        List<Instant> sorted = losses.stream().sorted().toList();
        long n = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Instant from = sorted.get(i);
            Instant to = i + 1 < sorted.size() ? sorted.get(i + 1) : Instant.MAX;
            if (answers.stream().anyMatch(a -> !a.isBefore(from) && a.isBefore(to))) {
                n++;
            }
        }
        return n;
    }

    /** The fault of malformed records under real keys of {@code topic}, as the fault log names it. */
    static String malformedUnderRealKeys(Topic<?, ?> topic) {
        return "malformed records under real keys of " + topic.name("");
    }

    /** Malformed and truncated values under real checkpoint, ledger and directory keys. */
    private void writeUnderRealKeys(KafkaIo io, Consumer<String> progress) {
        for (Topic<?, ?> t : REAL_KEY_TOPICS) {
            String name = io.name(t);
            var records = BadInput.underRealKeys(name, io.readAll(name), REAL_KEYS_PER_TOPIC);
            int taken = io.write(records);
            if (t == Topics.CHECKPOINTS) {
                records.forEach(r -> realCheckpointKeys.add(new String(r.key(), StandardCharsets.UTF_8)));
            }
            realKeyRecords.merge(t.name(""), taken, Integer::sum);
            fired.merge(malformedUnderRealKeys(t), (long) taken, Long::sum);
        }
        progress.accept("malformed records under real keys: " + realKeyRecords);
    }

    /** The extractor moved past the malformed checkpoints: the latest checkpoint of each job is readable again. */
    private List<String> checkpointsReadable(KafkaIo io) {
        Map<String, byte[]> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.CHECKPOINTS))) {
            if (r.key() != null) {
                latest.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
            }
        }
        List<String> problems = new ArrayList<>();
        for (String job : new TreeSet<>(realCheckpointKeys)) {
            if (!(Checkpoint.CODEC.tryDecode(latest.get(job)) instanceof Decoded.Ok<Checkpoint>)) {
                problems.add("the latest checkpoint of job " + job + " is still a malformed one: the extractor wrote none after it");
            }
        }
        return problems;
    }

    private void edit(KingdeeSandbox kingdee, long id, int n, boolean inject) {
        String name = (inject ? INJECTION : "") + "混沌客户" + n;
        SandboxCustomer after = kingdee.table().edit(id, Map.of("FName", name));
        String seller = String.valueOf(after.get("FSELLER.FNumber"));
        ConservationCheck.Expected expected = seller.equals(UNKNOWN_SELLER)
                ? new ConservationCheck.Expected.DeadLettered(UNKNOWN_USER_REASONS)
                : new ConservationCheck.Expected.Delivered(userId(seller));
        changes.add(new ConservationCheck.Change(id, expected, inject, Instant.now()));
    }

    /** Lines holding {@code text} in {@code logs}. */
    static int countInLogs(List<Path> logs, String text) {
        int n = 0;
        for (Path log : logs) {
            try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
                n += (int) lines.filter(l -> l.contains(text)).count();
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalStateException("Could not read " + log, e);
            }
        }
        return n;
    }

    static String userId(String seller) {
        return "user-" + seller.toLowerCase(Locale.ROOT);
    }

    private static List<Path> listLogs(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One scheduled action; {@code name} is the fault it injects, null for an edit or a write the run counts itself. */
    private record Event(long at, String name, Runnable action) {
    }

    /** The settings of each service process: fast polls and short pauses so faults heal within a run. */
    record ServiceSettings(String bootstrap, String prefix, Path runDir, URI kingdeeUrl, KingdeeSandbox kingdee,
            DingTalkSandbox dingTalk) {

        private Map<String, String> base() {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("KDPIPE_TOPIC_PREFIX", prefix);
            env.put("KDPIPE_HTTP_PORT", String.valueOf(Ports.free()));
            return env;
        }

        Map<String, String> extractor() {
            Map<String, String> env = base();
            env.putAll(kingdee.serviceSettings());
            env.put("KINGDEE_URL", kingdeeUrl.toString()); // through the relay
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
            env.putAll(dingTalk.serviceSettings());
            env.put("DINGTALK_MONTHLY_BUDGET", String.valueOf(dingTalk.options().monthlyQuota()));
            env.put("DINGTALK_HTTP_TIMEOUT", "2s");
            env.put("NOTIFIER_TRANSACTIONAL_ID", "kdpipe-notifier-chaos");
            env.put("NOTIFIER_COMMIT_BATCH", String.valueOf(NOTICES_PER_TRANSACTION));
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
