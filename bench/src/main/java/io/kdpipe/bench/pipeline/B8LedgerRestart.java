package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * B8: the notifier's restart over a long ledger, and what delivery checks cost.
 *
 * <ul>
 *   <li>{@code B8-catchup}, {@code B8-rss}: 1,000,000 ledger entries on {@code dingtalk.deliveries.v1}, their
 *       completion times spread evenly over the last 365 days (a year of history the topic's retention
 *       would have deleted, so the worst case); the notifier started from its runnable jar at
 *       {@code -Xmx256m}, sized as in its pod; the time from the JVM's start to the send loop's
 *       "Assigned … partitions" line (the ledger read to its end), and the peak RSS ({@code VmHWM})
 *       until 5 s after. Reference, same run: a plain consumer reading the same ledger without decoding.</li>
 *   <li>{@code B8-verify}: counted {@code getsendresult} calls per notice DingTalk accepted, at the
 *       default check policy (10 % of the 5,000-call monthly budget, spread over the month), for 500
 *       notices to 24 people on a fresh ledger; the sandbox fills results in after 1 s and the check is
 *       asked 2 s after the send (timing only; the default waits 2 minutes).</li>
 * </ul>
 */
public final class B8LedgerRestart {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Pattern ASSIGNED = Pattern.compile("Assigned \\d+ notice partitions; ledger holds (\\d+) sent notices");

    private B8LedgerRestart() {
    }

    public static List<Result> run(Ctx ctx, Path repo) throws Exception {
        List<Result> results = new ArrayList<>(restart(ctx, repo));
        results.add(verification(ctx));
        return results;
    }

    private static List<Result> restart(Ctx ctx, Path repo) throws Exception {
        int entries = ctx.scaled(1_000_000);
        String id = ctx.id("b8");
        String prefix = id + ".";
        Kafka kafka = ctx.kafka();
        kafka.ensure(prefix, Topics.ALL);
        String ledger = Topics.DELIVERIES.name(prefix);
        Instant now = Instant.now();
        long spanMillis = Duration.ofDays(365).toMillis();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (int i = 0; i < entries; i++) {
                Instant done = now.minusMillis(spanMillis * (entries - i) / entries);
                String noticeId = String.format("n-%032x", i * 2_654_435_761L);
                DeliveryRecord r = new DeliveryRecord(DeliveryRecord.VERSION, noticeId, DeliveryRecord.Status.SENT,
                        List.of(256_271_667_000L + i), List.of(String.format("user-%04d", 1 + i % 24)), 1, i % 5 == 0 ? 2 : 1,
                        done.minusSeconds(1), done, done.minusSeconds(30), null,
                        i % 5 == 0 ? DeliveryRecord.Delivery.DELIVERED : DeliveryRecord.Delivery.ACCEPTED, null, (long) i, null);
                p.send(new ProducerRecord<>(ledger, i % Topics.DELIVERIES.partitions(), noticeId.getBytes(StandardCharsets.UTF_8),
                        DeliveryRecord.CODEC.encode(r)));
            }
            p.flush();
        }
        double plainSeconds = plainRead(kafka, ledger);

        try (DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                .users(DingTalkSandboxOptions.numberedUsers(24)).build())) {
            Map<String, String> env = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            Path jar = repo.resolve("notifier").resolve("target").resolve("notifier-" + VERSION + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " missing: run `mvn -B -q -pl bench -am package -DskipTests` first");
            }
            Path log = ctx.scratch("b8-logs").resolve("notifier.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:ActiveProcessorCount=1", "-XX:MaxRAM=512m", "-jar", jar.toString());
            pb.environment().putAll(env);
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = pb.start();
            long[] peak = {0};
            String[] held = {"?"};
            double seconds;
            try {
                boolean assigned = Services.await(Duration.ofMinutes(5), Duration.ofMillis(200), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the notifier exited with " + process.exitValue() + "; see " + log);
                    }
                    peak[0] = Math.max(peak[0], B6Memory.vmHwmKiB(process.pid()));
                    Matcher m = ASSIGNED.matcher(read(log));
                    if (m.find()) {
                        held[0] = m.group(1);
                        return true;
                    }
                    return false;
                });
                seconds = (System.nanoTime() - start) / 1e9;
                if (!assigned) {
                    throw new IllegalStateException("the notifier did not finish catching up within 5 minutes; see " + log);
                }
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < until) {
                    peak[0] = Math.max(peak[0], B6Memory.vmHwmKiB(process.pid()));
                    Services.pause(Duration.ofMillis(200));
                }
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            double mib = peak[0] / 1024.0;
            String notes = String.format("%d ledger entries over 365 days, %d remembered within the 35-day horizon; "
                    + "runnable jar + target/lib, -Xmx256m -XX:ActiveProcessorCount=1 -XX:MaxRAM=512m, MALLOC_ARENA_MAX=2; "
                    + "JVM start to the send loop's assignment (ledger read to its end, directory read, group joined); "
                    + "a plain consumer read the same ledger, undecoded, in %.1f s", entries, Long.parseLong(held[0]), plainSeconds);
            return List.of(
                    new Result("B8-catchup", "notifier restart: JVM start to caught up over 1M ledger entries", seconds, "s", 30,
                            seconds / 30, "<= 30 s", seconds <= 30, notes + String.format("; %.1fx the plain read", seconds / plainSeconds)),
                    new Result("B8-rss", "notifier restart over 1M ledger entries: peak RSS (VmHWM)", mib, "MiB", 400, mib / 400,
                            "<= 400 MB", mib <= 400, notes));
        }
    }

    private static double plainRead(Kafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = kafka.consumer(null)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long start = System.nanoTime();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static Result verification(Ctx ctx) {
        int notices = ctx.scaled(500);
        String id = ctx.id("b8v");
        String prefix = id + ".";
        Kafka kafka = ctx.kafka();
        kafka.ensure(prefix, Topics.ALL);
        try (DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder().resultDelay(Duration.ofSeconds(1))
                .users(DingTalkSandboxOptions.numberedUsers(24)).build())) {
            Map<String, String> env = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            env.put("NOTIFIER_VERIFY_DELAY", "2s");
            List<ProducerRecord<byte[], byte[]>> load = new ArrayList<>();
            for (int i = 0; i < notices; i++) {
                ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
                msg.putObject("text").put("content", "客户 C" + i + " 已变更");
                Notice n = new Notice(Notice.VERSION, "b8-" + i, Notice.Kind.CHANGED, List.of("acct:" + i),
                        new Notice.Recipients(List.of(String.format("user-%04d", 1 + i % 24)), List.of(), List.of()), msg,
                        new Notice.Provenance("kingdee.customers.v1", 0, i, Instant.now(), null), Instant.now());
                load.add(new ProducerRecord<>(Topics.NOTICES.name(prefix), n.id().getBytes(StandardCharsets.UTF_8), Notice.CODEC.encode(n)));
            }
            kafka.produce(load);
            try (ServiceRuntime notifier = Services.notifier(env)) {
                Services.await(Duration.ofMinutes(3), Duration.ofMillis(500), () -> dingTalk.stats().delivered() >= notices);
                Services.await(Duration.ofMinutes(2), Duration.ofMillis(500),
                        () -> Services.metric(notifier.port(), "kdpipe_notifier_checks_planned") == 0);
                long checks = dingTalk.journal().stream().filter(c -> c.api().equals("getsendresult") && c.outcome().equals("ok")).count();
                long accepted = dingTalk.journal().stream().filter(c -> c.api().equals("asyncsend_v2") && c.outcome().equals("ok")).count();
                double perNotice = (double) checks / notices;
                return Result.info("B8-verify", "counted getsendresult calls per notice accepted, default check policy", perNotice,
                        "calls/notice", String.format("%d notices, %d accepted sends, %d checks; the budget share allows "
                                + "500 × (part of the month gone, %s) + 16.7 checks so far this month, so the figure falls as "
                                + "volume grows: at most 500 checks a month whatever the volume", notices, accepted, checks,
                                Instant.now().toString().substring(0, 10)));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // not written yet, or cut in the middle of a character: read again next time
        }
    }
}
