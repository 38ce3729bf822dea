package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.sandbox.kingdee.CustomerTable;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class IncrementalIT {

    private final KafkaBroker broker;

    IncrementalIT(KafkaBroker broker) {
        this.broker = broker;
    }

    /** A version of a customer: what one change makes Kingdee show. */
    private record Version(String customerId, Instant modifiedAt) {
    }

    @Test
    void shouldPublishFiveHundredChangesEachOnceIncludingSharedTimestampsAndLateCommits() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(1_000)))) {
            // pages of 40: ties at one timestamp straddle page boundaries
            f.set("KINGDEE_PAGE_SIZE", "40");
            long startedAt = Instant.now().getEpochSecond();
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            String job = f.config().jobs().get(0).id();
            CustomerTable table = f.kingdee.table();
            ZoneId zone = f.kingdee.options().zone();
            List<Long> ids = new ArrayList<>(table.ids());
            Collections.shuffle(ids, new Random(7));
            List<SandboxCustomer> changes = new ArrayList<>();
            int next = 0;

            for (int round = 0; round < 5; round++) {
                // ordinary edits, approvals, forbids and new customers while the extractor polls
                for (int i = 0; i < 40; i++) {
                    long id = ids.get(next++);
                    changes.add(switch (i % 4) {
                        case 0 -> table.approve(id);
                        case 1 -> table.forbid(id);
                        default -> table.edit(id);
                    });
                }
                for (int i = 0; i < 5; i++) {
                    changes.add(table.create(List.of("100", "101", "102").get(i % 3)));
                }
                // a bulk save: 25 customers with one identical FModifyDate
                LocalDateTime shared = table.now();
                for (int i = 0; i < 25; i++) {
                    changes.add(table.editAt(ids.get(next++), shared));
                }
                LocalDateTime latest = changes.stream().map(SandboxCustomer::modifyDate).max(LocalDateTime::compareTo).orElseThrow();
                awaitWatermark(f, job, latest);
                // saves that began 20-60 s ago commit only now: behind the watermark, inside the overlap
                for (int i = 0; i < 28; i++) {
                    changes.add(table.lateCommit(ids.get(next++), Duration.ofSeconds(20 + i)));
                }
                // two late saves sharing one past timestamp
                LocalDateTime past = table.now().minusSeconds(45);
                changes.add(table.editAt(ids.get(next++), past));
                changes.add(table.editAt(ids.get(next++), past));
            }
            assertThat(changes).hasSize(500);
            LocalDateTime latest = changes.stream().map(SandboxCustomer::modifyDate).max(LocalDateTime::compareTo).orElseThrow();
            awaitWatermark(f, job, latest);

            Set<Version> expected = changes.stream()
                    .map(c -> new Version(String.valueOf(c.id()), c.modifyDate().atZone(zone).toInstant())).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(30)).until(() -> incremental(f).keySet().containsAll(expected));
            // a few more polls over the overlap window must add nothing
            long calls = f.kingdee.calls("ExecuteBillQuery");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.kingdee.calls("ExecuteBillQuery") > calls + 10);

            Map<Version, Long> published = incremental(f);
            assertThat(published.keySet()).isEqualTo(expected);
            assertThat(published.values()).as("no change published twice").containsOnly(1L);
            Checkpoint cp = f.checkpoint(job).orElseThrow();
            assertThat(cp.watermark()).isEqualTo(latest);
            assertThat(cp.rowsPublished()).isEqualTo(1_000 + 500);
            var registry = extractor.metrics().registry();
            assertThat(registry.get("kdpipe.extractor.last.success.timestamp.seconds").tag("job", job).gauge().value())
                    .isGreaterThanOrEqualTo(startedAt);
            assertThat(registry.get("kdpipe.extractor.watermark.lag.seconds").tag("job", job).gauge().value()).isBetween(0.0, 60.0);
            assertThat(extractor.metrics().count("kdpipe.extractor.rows.extracted", "job", job, "phase", "INCREMENTAL")).isEqualTo(500);
        }
    }

    private static Map<Version, Long> incremental(ExtractorFixture f) {
        return f.rows().stream().filter(r -> r.phase() == CustomerRow.Phase.INCREMENTAL)
                .collect(Collectors.groupingBy(r -> new Version(r.customerId(), r.modifiedAt()), Collectors.counting()));
    }

    private static void awaitWatermark(ExtractorFixture f, String job, LocalDateTime atLeast) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> f.checkpoint(job)
                .map(cp -> cp.watermark() != null && !cp.watermark().isBefore(atLeast)).orElse(false));
    }
}
