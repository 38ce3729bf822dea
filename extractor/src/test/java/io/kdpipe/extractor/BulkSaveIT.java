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

/** A bulk save far larger than a page, all rows sharing one {@code FModifyDate}, then ordinary saves. */
@ExtendWith(KafkaBrokerExtension.class)
class BulkSaveIT {

    private static final int CUSTOMERS = 40_000;
    private static final int BULK = 36_000;

    private final KafkaBroker broker;

    BulkSaveIT(KafkaBroker broker) {
        this.broker = broker;
    }

    private record Version(String customerId, Instant modifiedAt) {
    }

    @Test
    void shouldPublishEveryVersionOfABulkSaveOnceAndGoOnWithASmallCheckpoint() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(CUSTOMERS)))) {
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(240));
            String job = f.config().jobs().get(0).id();
            CustomerTable table = f.kingdee.table();
            ZoneId zone = f.kingdee.options().zone();
            List<Long> ids = new ArrayList<>(table.ids());
            Collections.shuffle(ids, new Random(15));

            // every customer of the bulk moves to one salesperson in one save: one FModifyDate for all
            LocalDateTime shared = table.now();
            List<SandboxCustomer> changes = new ArrayList<>(table.saveAll(ids.subList(0, BULK),
                    Map.of("FSELLER", 100_522L, "FSELLER.FNumber", "XSY014", "FSELLER.FName", "赵六"), shared));
            for (int i = 0; i < 3; i++) {
                changes.add(table.create(List.of("100", "101", "102").get(i)));
            }
            Set<Version> expected = changes.stream()
                    .map(c -> new Version(String.valueOf(c.id()), c.modifyDate().atZone(zone).toInstant())).collect(Collectors.toSet());
            assertThat(expected).hasSize(BULK + 3);

            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> incremental(f).keySet().containsAll(expected));
            // the look-back reads the whole bulk save again (key and date only) at least twice more
            double lookedBack = lookBackRows(extractor, job);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> lookBackRows(extractor, job) >= lookedBack + 2 * BULK);

            Map<Version, Long> published = incremental(f);
            assertThat(published.keySet()).isEqualTo(expected);
            assertThat(published.values()).as("no version published twice").containsOnly(1L);
            assertThat(extractor.metrics().count("kdpipe.extractor.late.versions", "job", job)).isZero();
            Checkpoint cp = f.checkpoint(job).orElseThrow();
            assertThat(cp.rowsPublished()).isEqualTo(CUSTOMERS + BULK + 3);
            assertThat(f.largestCheckpointBytes()).as("largest checkpoint record, bytes").isLessThan(64 * 1024);
        }
    }

    private static double lookBackRows(Extractor extractor, String job) {
        return extractor.metrics().count("kdpipe.extractor.lookback.rows", "job", job);
    }

    private static Map<Version, Long> incremental(ExtractorFixture f) {
        return f.rows().stream().filter(r -> r.phase() == CustomerRow.Phase.INCREMENTAL)
                .collect(Collectors.groupingBy(r -> new Version(r.customerId(), r.modifiedAt()), Collectors.counting()));
    }
}
