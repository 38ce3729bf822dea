package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * B5: freshness from a save in the Kingdee sandbox to the message in the DingTalk sandbox's inbox,
 * the whole pipeline in this JVM, extractor polling every 5 s, 50 saves/s (each renames a distinct
 * customer of one of 24 salespeople), after a silent snapshot.
 *
 * <p>As deployed: DingTalk's 20 calls/s and digests on. 50 saves/s cannot pass 20 calls/s one by
 * one; they reach the transformer as one page per poll, the burst digests fold. A save listed in a
 * digest is fresh when that digest reaches the inbox. The digest window is set short
 * ({@link #WINDOW}; the default 60 s trades freshness for calls). The extra run {@code B5-nodigest}
 * is the earlier setup: digests off, both DingTalk sides raised to 60 calls/s; {@code B5-commit500ms} and
 * {@code B5-commit1s} are the main run with the transformer committing every 500 ms and every 1 s (its
 * default is 100 ms).
 */
public final class B5Freshness {

    private static final Pattern MARK = Pattern.compile("B5变更(\\d+)号");
    /** Digest settings of the main run: a window just long enough to gather one poll's page. */
    static final Map<String, String> WINDOW = Map.of("KDPIPE_DIGEST_WINDOW", "500ms", "KDPIPE_DIGEST_THRESHOLD", "0",
            "KDPIPE_DIGEST_TICK", "100ms");

    private B5Freshness() {
    }

    public static List<Result> run(Ctx ctx) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(once(ctx, "B5", 20, WINDOW));
        // the transformer's commit interval around its default, for the side-by-side choice
        results.add(once(ctx, "B5-commit500ms", 20, withCommitInterval("500")));
        results.add(once(ctx, "B5-commit1s", 20, withCommitInterval("1000")));
        results.add(once(ctx, "B5-nodigest", 60, Map.of("KDPIPE_DIGEST_ENABLED", "false")));
        return results;
    }

    private static Map<String, String> withCommitInterval(String millis) {
        Map<String, String> settings = new HashMap<>(WINDOW);
        settings.put("KAFKA_COMMIT_INTERVAL_MS", millis);
        return settings;
    }

    private static Result once(Ctx ctx, String label, int qps, Map<String, String> digest) throws Exception {
        int perSecond = 50;
        int changes = ctx.scaled(1500);
        Duration poll = Duration.ofSeconds(5);
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(changes + 500));
                DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder().qps(qps)
                        .users(DingTalkSandboxOptions.numberedUsers(24)).perUserDailyCap(1_000_000)
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
            Map<String, String> nenv = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            nenv.put("DINGTALK_MONTHLY_BUDGET", "1000000");
            digest.forEach((k, v) -> (k.startsWith("NOTIFIER_") ? nenv : tenv).put(k, v));
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
                boolean digests = !"false".equals(digest.get("KDPIPE_DIGEST_ENABLED"));
                var stats = dingTalk.stats();
                String pages = digests ? pages(dingTalk, savedAt) : "";
                double calls = Services.metric(notifier.port(), "kdpipe_notifier_send_latency_seconds_count");
                String notifierTime = String.format("; notifier: mean call %.0f ms, %.1f s waiting for rate permits in all",
                        1000 * Services.metric(notifier.port(), "kdpipe_notifier_send_latency_seconds_sum") / Math.max(1, calls),
                        Services.metric(notifier.port(), "kdpipe_notifier_limiter_wait_seconds_sum"));
                return new Result(label, "freshness p99, Kingdee save -> DingTalk inbox, poll 5 s, 50 saves/s, DingTalk " + qps
                        + " calls/s, " + (digests ? "digests on" : "digests off"), p99, "s", bound,
                        p99 / bound, "p99 <= poll + 2 s", p99 <= bound && arrived.size() == changes, String.format(
                                "%d saves in %.1f s, %d arrived; p50 %.2f s, max %.2f s; %d send calls, %d QPS violations%s%s; %s",
                                changes, drive, arrived.size(), p50, max, stats.sendCalls(), stats.qpsViolations(), notifierTime, pages,
                                digests ? "digest settings " + new TreeMap<>(digest) + " (a save listed in a digest counts when the digest arrives)"
                                        : "each save is its own notice; DingTalk sandbox and notifier raised to " + qps
                                        + " calls/s, as 50 notices/s cannot pass 20 calls/s one by one"));
            }
        }
    }

    /**
     * Where a page's time goes: the messages that arrive together (less than 2 s apart) carry one
     * poll's page; per page, the newest save it lists to its first message (the pipeline), and its
     * first to its last message (the sending, at most 20 calls in any second). Medians over pages.
     */
    private static String pages(DingTalkSandbox dingTalk, Instant[] savedAt) {
        List<Instant[]> messages = new ArrayList<>(); // arrival, oldest save, newest save
        for (List<InboxMessage> inbox : dingTalk.inboxes().values()) {
            for (InboxMessage m : inbox) {
                Matcher matcher = MARK.matcher(m.msg().toString());
                Instant oldest = null;
                Instant newest = null;
                while (matcher.find()) {
                    int i = Integer.parseInt(matcher.group(1));
                    if (i < savedAt.length && savedAt[i] != null) {
                        oldest = oldest == null || savedAt[i].isBefore(oldest) ? savedAt[i] : oldest;
                        newest = newest == null || savedAt[i].isAfter(newest) ? savedAt[i] : newest;
                    }
                }
                if (newest != null) {
                    messages.add(new Instant[] {m.receivedAt(), oldest, newest});
                }
            }
        }
        messages.sort(Comparator.comparing(a -> a[0]));
        List<Double> pipeline = new ArrayList<>();
        List<Double> sending = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= messages.size(); i++) {
            if (i == messages.size() || Duration.between(messages.get(i - 1)[0], messages.get(i)[0]).toMillis() > 2000) {
                List<Instant[]> page = messages.subList(from, i);
                Instant newest = page.stream().map(a -> a[2]).max(Instant::compareTo).orElseThrow();
                pipeline.add(Duration.between(newest, page.get(0)[0]).toMillis() / 1000.0);
                sending.add(Duration.between(page.get(0)[0], page.get(page.size() - 1)[0]).toMillis() / 1000.0);
                sizes.add(page.size());
                from = i;
            }
        }
        Collections.sort(pipeline);
        Collections.sort(sending);
        return String.format("; %d pages (messages per page %s): newest save of a page to its first message %.2f s, "
                + "first to last message %.2f s (medians)", pipeline.size(), sizes, pipeline.get(pipeline.size() / 2),
                sending.get(sending.size() / 2));
    }
}
