package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * B5: freshness from a save in the Kingdee sandbox to the message in the DingTalk sandbox's inbox,
 * the whole pipeline in this JVM, extractor polling every 5 s, 50 saves/s (each renames a distinct
 * customer), after a silent snapshot.
 */
public final class B5Freshness {

    private static final Pattern MARK = Pattern.compile("B5变更(\\d+)号");

    private B5Freshness() {
    }

    public static List<Result> run(Ctx ctx) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(once(ctx, "B5", null));
        results.add(once(ctx, "B5-b20", "20"));
        return results;
    }

    private static Result once(Ctx ctx, String label, String commitBatch) throws Exception {
        int perSecond = 50;
        int changes = ctx.scaled(1500);
        Duration poll = Duration.ofSeconds(5);
        int qps = 60;
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(io.kdpipe.sandbox.kingdee.SandboxOptions.defaults().withCustomers(changes + 500));
                DingTalkSandbox dingTalk = DingTalkSandbox.start(io.kdpipe.sandbox.dingtalk.SandboxOptions.builder().qps(qps)
                        .users(io.kdpipe.sandbox.dingtalk.SandboxOptions.numberedUsers(24)).perUserDailyCap(1_000_000)
                        .monthlyQuota(1_000_000).build())) {
            String id = ctx.id("b5");
            String prefix = id + ".";
            Kafka kafka = ctx.kafka();
            kafka.ensure(prefix, Topics.ALL);
            List<ProducerRecord<byte[], byte[]>> directory = new ArrayList<>();
            for (DirectoryEntry e : Rows.people(24, Instant.now())) {
                directory.add(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key().getBytes(StandardCharsets.UTF_8),
                        DirectoryEntry.CODEC.encode(e)));
            }
            kafka.produce(directory);

            Map<String, String> eenv = Services.extractorEnv(kafka.bootstrap(), prefix, kingdee, id);
            eenv.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", poll.toSeconds() + "s");
            Map<String, String> tenv = Services.transformerEnv(kafka.bootstrap(), prefix, id, ctx.scratch("b5-state").toString());
            tenv.put("KDPIPE_DIGEST_ENABLED", "false");
            Map<String, String> nenv = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            nenv.put("DINGTALK_MONTHLY_BUDGET", "1000000");
            if (commitBatch != null) {
                nenv.put("NOTIFIER_COMMIT_BATCH", commitBatch);
            }
            long rows = kingdee.table().size();
            try (ServiceRuntime notifier = Services.notifier(nenv); ServiceRuntime transformer = Services.transformer(tenv);
                    ServiceRuntime extractor = Services.extractor(eenv)) {
                String input = Topics.CUSTOMERS.name(prefix);
                if (!Services.await(Duration.ofMinutes(3), Duration.ofMillis(200),
                        () -> Services.metric(extractor.port(), B2ExtractorThroughput.ROWS) >= rows
                                && kafka.committed(id + "-transformer", input) >= rows)) {
                    throw new IllegalStateException("snapshot did not pass through");
                }
                List<Long> ids = kingdee.table().ids();
                Instant[] savedAt = new Instant[changes];
                long start = System.nanoTime();
                for (int i = 0; i < changes; i++) {
                    long due = start + i * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    kingdee.table().edit(ids.get(i), Map.of("FName", "B5变更" + i + "号贸易有限公司"));
                    savedAt[i] = Instant.now();
                }
                double drive = (System.nanoTime() - start) / 1e9;
                Map<Integer, Instant> arrived = new HashMap<>();
                Services.await(Duration.ofMinutes(3), Duration.ofMillis(200), () -> {
                    for (List<InboxMessage> inbox : dingTalk.inboxes().values()) {
                        for (InboxMessage m : inbox) {
                            Matcher matcher = MARK.matcher(m.msg().toString());
                            while (matcher.find()) {
                                arrived.merge(Integer.parseInt(matcher.group(1)), m.receivedAt(), (a, b) -> a.isBefore(b) ? a : b);
                            }
                        }
                    }
                    return arrived.size() >= changes;
                });
                double[] seconds = new double[arrived.size()];
                int k = 0;
                for (var e : arrived.entrySet()) {
                    seconds[k++] = Duration.between(savedAt[e.getKey()], e.getValue()).toMillis() / 1000.0;
                }
                Arrays.sort(seconds);
                double p50 = seconds[(int) Math.floor(0.50 * (seconds.length - 1))];
                double p99 = seconds[(int) Math.ceil(0.99 * (seconds.length - 1))];
                double max = seconds[seconds.length - 1];
                double bound = poll.toSeconds() + 2;
                return new Result(label, "freshness p99, Kingdee save -> DingTalk inbox, poll 5 s, 50 saves/s"
                        + (commitBatch == null ? "" : ", NOTIFIER_COMMIT_BATCH=" + commitBatch), p99, "s", bound,
                        p99 / bound, "p99 <= poll + 2 s", p99 <= bound && arrived.size() == changes, String.format(
                                "%d saves in %.1f s, %d arrived; p50 %.2f s, max %.2f s; digests off (each save is its own notice), "
                                        + "DingTalk sandbox and notifier at %d calls/s: 50 notices/s cannot pass a 20 calls/s limit one by one",
                                changes, drive, arrived.size(), p50, max, qps));
            }
        }
    }
}
