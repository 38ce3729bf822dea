package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * B4: DingTalk calls per notice for a bulk import of 1,000 new customers across 10 salespeople,
 * transformer and notifier together, digests on; the naive reference is one call per notice per
 * recipient (1,000). Run with the default digest settings (threshold 1, digests filled up to the
 * 2048-byte message limit, a heading per kind) and, for comparison, with threshold 5 / 20 items.
 */
public final class B4DigestEfficiency {

    private B4DigestEfficiency() {
    }

    public static List<Result> run(Ctx ctx) {
        List<Result> results = new ArrayList<>();
        results.add(once(ctx, "B4", Map.of()));
        results.add(once(ctx, "B4-t5x20", Map.of("KDPIPE_DIGEST_THRESHOLD", "5", "KDPIPE_DIGEST_MAX_ITEMS", "20")));
        return results;
    }

    private static Result once(Ctx ctx, String label, Map<String, String> digest) {
        int customers = 1000;
        int sellers = 10;
        try (DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(sellers))
                .monthlyQuota(1_000_000).build())) {
            String id = ctx.id("b4");
            String prefix = id + ".";
            Kafka kafka = ctx.kafka();
            kafka.ensure(prefix, Topics.ALL);
            List<ProducerRecord<byte[], byte[]>> directory = new ArrayList<>();
            for (DirectoryEntry e : Rows.people(sellers, Instant.now())) {
                directory.add(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key().getBytes(StandardCharsets.UTF_8),
                        DirectoryEntry.CODEC.encode(e)));
            }
            kafka.produce(directory);

            Map<String, String> tenv = Services.transformerEnv(kafka.bootstrap(), prefix, id, ctx.scratch("b4-state").toString());
            tenv.put("KDPIPE_DIGEST_WINDOW", "10s");
            tenv.putAll(digest);
            Map<String, String> nenv = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            nenv.put("DINGTALK_MONTHLY_BUDGET", "1000000");
            try (ServiceRuntime notifier = Services.notifier(nenv); ServiceRuntime transformer = Services.transformer(tenv);
                    Kafka.Counter notices = kafka.count(Topics.NOTICES.name(prefix));
                    Kafka.Counter ledger = kafka.count(Topics.DELIVERIES.name(prefix))) {
                List<ProducerRecord<byte[], byte[]>> rows = new ArrayList<>();
                for (long c = 0; c < customers; c++) {
                    CustomerRow row = Rows.row(c, 0, sellers, false, CustomerRow.Phase.INCREMENTAL);
                    rows.add(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), row.key().getBytes(StandardCharsets.UTF_8),
                            CustomerRow.CODEC.encode(row)));
                }
                kafka.produce(rows);
                String input = Topics.CUSTOMERS.name(prefix);
                if (!Services.await(Duration.ofMinutes(3), Duration.ofMillis(200), () -> kafka.committed(id + "-transformer", input) >= customers)) {
                    throw new IllegalStateException("transformer did not take the import");
                }
                // every held notice leaves when its window ends; then every notice must reach the ledger
                long[] last = {-1};
                long[] stableSince = {System.nanoTime()};
                boolean done = Services.await(Duration.ofMinutes(5), Duration.ofMillis(250), () -> {
                    long n = notices.get();
                    if (n != last[0]) {
                        last[0] = n;
                        stableSince[0] = System.nanoTime();
                    }
                    return n > 0 && ledger.get() >= n && System.nanoTime() - stableSince[0] > Duration.ofSeconds(13).toNanos();
                });
                if (!done) {
                    throw new IllegalStateException("notices " + notices.get() + ", ledger " + ledger.get());
                }
                long digests = notices.values().stream().map(Notice.CODEC::decode).filter(n -> n.kind() == Notice.Kind.DIGEST).count();
                long calls = dingTalk.stats().sendCalls();
                double perNotice = calls / (double) customers;
                return new Result(label, "DingTalk calls per notice, bulk import of 1,000 new customers / 10 salespeople", perNotice,
                        "calls/notice", customers, perNotice, "<= 0.05 calls per notice", perNotice <= 0.05, String.format(
                                "%d send calls for %d notices (naive: %d calls); %d messages out of the transformer, %d of them digests; "
                                        + "digest settings %s, window 10 s (default 60 s; the import lands inside one window either way)",
                                calls, customers, customers, notices.get(), digests,
                                digest.isEmpty() ? "default (threshold 1, up to 100 items within 2048 bytes)" : digest.toString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
