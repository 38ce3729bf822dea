package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * B3: the notifier's sustained {@code asyncsend_v2} calls/s against the DingTalk sandbox enforcing
 * 20 calls/s (a sliding one-second window), from a backlog of single-recipient notices, with the
 * defaults (the whole rate, one ledger transaction per notice).
 */
public final class B3NotifierRate {

    static final String SEND = "asyncsend_v2";

    private B3NotifierRate() {
    }

    public static List<Result> run(Ctx ctx) {
        List<Result> results = new ArrayList<>();
        results.add(once(ctx, "B3", null, null));
        return results;
    }

    private static Result once(Ctx ctx, String label, String headroom, String commitBatch) {
        int limit = 20;
        int notices = ctx.scaled(500);
        try (DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder().qps(limit)
                .users(DingTalkSandboxOptions.numberedUsers(50)).monthlyQuota(1_000_000).build())) {
            String id = ctx.id("b3");
            String prefix = id + ".";
            ctx.kafka().ensure(prefix, Topics.ALL);
            ctx.kafka().produce(notices(prefix, notices, 50));
            Map<String, String> env = Services.notifierEnv(ctx.kafka().bootstrap(), prefix, dingTalk, id);
            env.put("DINGTALK_MONTHLY_BUDGET", "1000000");
            if (headroom != null) {
                env.put("DINGTALK_RATE_HEADROOM", headroom);
            }
            if (commitBatch != null) {
                env.put("NOTIFIER_COMMIT_BATCH", commitBatch);
            }
            double meanCallMs;
            double permitWait;
            try (ServiceRuntime notifier = Services.notifier(env)) {
                if (!Services.await(Duration.ofMinutes(5), Duration.ofMillis(200), () -> dingTalk.stats().sendCalls() >= notices)) {
                    throw new IllegalStateException("only " + dingTalk.stats().sendCalls() + " of " + notices + " sent");
                }
                double calls = Services.metric(notifier.port(), "kdpipe_notifier_send_latency_seconds_count");
                meanCallMs = 1000 * Services.metric(notifier.port(), "kdpipe_notifier_send_latency_seconds_sum") / Math.max(1, calls);
                permitWait = Services.metric(notifier.port(), "kdpipe_notifier_limiter_wait_seconds_sum");
            }
            List<Instant> at = dingTalk.journal().stream().filter(c -> c.api().contains(SEND)).map(DingTalkSandbox.Call::at).sorted().toList();
            // steady state: leave out the first and last 20 calls (token fetch, group join, tail)
            int skip = Math.min(20, at.size() / 10);
            Instant first = at.get(skip);
            Instant last = at.get(at.size() - 1 - skip);
            double rate = (at.size() - 1 - 2 * skip) / (Duration.between(first, last).toNanos() / 1e9);
            long violations = dingTalk.stats().qpsViolations();
            double ratio = rate / limit;
            return new Result(label, "notifier sustained calls/s, sandbox limit 20/s"
                    + (headroom == null ? " (defaults: DINGTALK_RATE_HEADROOM 1.0, commit batch 1)" : " (DINGTALK_RATE_HEADROOM=" + headroom
                    + (commitBatch == null ? "" : ", NOTIFIER_COMMIT_BATCH=" + commitBatch) + ")"), rate, "calls/s", limit,
                    ratio, ">= 0.95 x limit, 0 QPS violations", ratio >= 0.95 && violations == 0, String.format(
                            "%d notices, 1 recipient each; %d send calls, %d QPS violations (errcode 88/90018) in the sandbox; "
                                    + "notifier: mean call %.0f ms, %.1f s of %.1f s waiting for rate permits (the rest is the send "
                                    + "loop's own work: call, ledger transaction)", notices, at.size(), violations, meanCallMs, permitWait,
                            Duration.between(at.get(0), at.get(at.size() - 1)).toMillis() / 1000.0));
        }
    }

    static List<ProducerRecord<byte[], byte[]>> notices(String prefix, int count, int users) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String user = String.format("user-%04d", 1 + i % users);
            ObjectNode msg = Json.mapper().createObjectNode();
            msg.put("msgtype", "text");
            msg.putObject("text").put("content", "客户资料变更通知 #" + i + "：深圳科技有限公司" + i + " 地址已更新");
            Notice n = new Notice(Notice.VERSION, "n-bench-" + prefix + i, Notice.Kind.CHANGED, List.of("acct:" + i),
                    new Notice.Recipients(List.of(user), List.of(), List.of()), msg,
                    new Notice.Provenance("bench", 0, i, now, null), now);
            records.add(new ProducerRecord<>(Topics.NOTICES.name(prefix), ("rg-" + user).getBytes(StandardCharsets.UTF_8), Notice.CODEC.encode(n)));
        }
        return records;
    }
}
