package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class SnapshotIT {

    private final KafkaBroker broker;

    SnapshotIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldPublishATenThousandCustomerSnapshotExactlyOnce() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(10_000)))) {
            f.set("KINGDEE_USE_ORGS", "100,101,102");
            long started = System.nanoTime();
            Extractor extractor = f.start();

            f.awaitSnapshots(Duration.ofSeconds(120));
            long snapshotMs = (System.nanoTime() - started) / 1_000_000;
            // let a few incremental polls run over the unchanged table: they must publish nothing
            long polls = f.kingdee.calls("ExecuteBillQuery");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.kingdee.calls("ExecuteBillQuery") > polls + 6);

            List<CustomerRow> rows = f.rows();
            String acct = f.kingdee.options().acctId();
            Set<String> expected = f.kingdee.table().ids().stream().map(id -> acct + ":" + id).collect(Collectors.toSet());
            Map<String, Long> perKey = rows.stream().collect(Collectors.groupingBy(CustomerRow::key, Collectors.counting()));
            assertThat(perKey.keySet()).isEqualTo(expected);
            assertThat(perKey.values()).as("each customer exactly once").containsOnly(1L);
            assertThat(rows).extracting(CustomerRow::phase).containsOnly(CustomerRow.Phase.SNAPSHOT);
            assertThat(f.checkpoints().values()).extracting(Checkpoint::rowsPublished).containsExactlyInAnyOrder(
                    (long) f.kingdee.table().all("100").size(), (long) f.kingdee.table().all("101").size(),
                    (long) f.kingdee.table().all("102").size());
            assertThat(extractor.metrics().count("kdpipe.extractor.rows.extracted", "phase", "SNAPSHOT")).isEqualTo(10_000);
            System.out.printf("10k snapshot: %d ms to complete (3 jobs, page size 2000)%n", snapshotMs);
        }
    }

    @Test
    void shouldPublishRowsAsKingdeeHoldsThemWithBankAccountsFoldedAndValuesNormalised() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(300)))) {
            // small pages: customers with two bank accounts straddle page boundaries
            f.set("KINGDEE_PAGE_SIZE", "7");
            f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));

            Map<String, CustomerRow> byId = f.rows().stream().collect(Collectors.toMap(CustomerRow::customerId, Function.identity()));
            assertThat(byId).hasSize(300);
            for (SandboxCustomer c : f.kingdee.table().all()) {
                CustomerRow row = byId.get(String.valueOf(c.id()));
                assertThat(row.text("FName")).isEqualTo(c.name());
                assertThat(row.text("FSELLER_FNumber")).isEqualTo(c.get("FSELLER.FNumber"));
                assertThat(row.text("FUseOrgId_FNumber")).isEqualTo(c.useOrg());
                assertThat(row.fields().get("FBANKCODE").size()).as("bank accounts of %s", c.id()).isEqualTo(c.bankAccounts().size());
                assertThat(row.modifiedAt()).isEqualTo(c.modifyDate().atZone(f.kingdee.options().zone()).toInstant());
                Object description = c.get("FDescription");
                if (description == null || description.toString().isBlank()) {
                    assertThat(row.fields().get("FDescription").isNull()).as("blank text is null").isTrue();
                }
            }
            assertThat(byId.values()).extracting(r -> r.text("FModifyDate")).allMatch(t -> t.endsWith("+08:00"));
        }
    }

    @Test
    void shouldLogInAgainWhenTheSessionExpiresMidPaginationWithoutSkippingOrRepeatingAPage() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(3_000)))) {
            f.set("KINGDEE_PAGE_SIZE", "200");
            f.kingdee.faults().expireSessionsAfter(4);
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));

            List<CustomerRow> rows = f.rows();
            Map<String, Long> perId = rows.stream().collect(Collectors.groupingBy(CustomerRow::customerId, Collectors.counting()));
            assertThat(perId.keySet()).isEqualTo(f.kingdee.table().ids().stream().map(String::valueOf).collect(Collectors.toSet()));
            assertThat(perId.values()).containsOnly(1L);
            assertThat(f.kingdee.logins()).as("sessions were lost and renewed").isGreaterThanOrEqualTo(4);
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "session_lost")).isGreaterThanOrEqualTo(3);
            assertThat(extractor.metrics().count("kdpipe.extractor.logins", "outcome", "ok")).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void shouldRideOutThrottlingAndServerErrorsWithRetries() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(500)))) {
            f.set("KINGDEE_PAGE_SIZE", "100");
            f.kingdee.faults().next(KingdeeFaults.throttled()).next(KingdeeFaults.http(503, "<html>Service Unavailable</html>"))
                    .next(KingdeeFaults.responseError(500, "Timeout expired"));
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));

            assertThat(f.rows()).hasSize(500);
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "throttled")).isEqualTo(1);
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "http_503")).isEqualTo(1);
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "http_500")).isEqualTo(1);
        }
    }
}
