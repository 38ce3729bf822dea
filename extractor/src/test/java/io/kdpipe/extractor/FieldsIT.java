package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.rows.CustomerFieldKeys;
import io.kdpipe.sandbox.kingdee.CustomerTable;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's own column list (flattened spelling, no status fields) against the sandbox: every
 * column published with codes and names, both bank accounts of a customer in every bank field,
 * statuses published although the list lacks them, and a date-like text published as text while
 * the job goes on.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FieldsIT {

    private final KafkaBroker broker;

    FieldsIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldPublishTheSeedsColumnsEveryBankAccountStatusesAndOddTextAsKingdeeHoldsThem() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(200)))) {
            // the seed's column names, as the original integration lists them: flattened, without FDocumentStatus/FForbidStatus
            String seedColumns = CustomerFieldKeys.SEED.stream().map(k -> k.replace('.', '_')).collect(Collectors.joining(","));
            assertThat(seedColumns).contains("FSELLER_FNumber").doesNotContain("FDocumentStatus").doesNotContain("FForbidStatus");
            f.set("KINGDEE_FIELD_KEYS", seedColumns);
            f.set("KINGDEE_PAGE_SIZE", "9");
            assertThat(f.config().warnings()).anySatisfy(w -> assertThat(w).contains("FSELLER_FNumber is read as FSELLER.FNumber"))
                    .anySatisfy(w -> assertThat(w).contains("FDocumentStatus", "FForbidStatus"));
            f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            CustomerTable table = f.kingdee.table();

            SandboxCustomer twoAccounts = table.all().stream().filter(c -> c.bankAccounts().size() == 2
                    && !c.bankAccounts().get(0).get("FCURRENCYID.FNumber").equals(c.bankAccounts().get(1).get("FCURRENCYID.FNumber")))
                    .findFirst().orElseGet(() -> table.all().stream().filter(c -> c.bankAccounts().size() == 2).findFirst().orElseThrow());
            CustomerRow row = latest(f, twoAccounts.id()).orElseThrow();
            for (String key : List.of("FCOUNTRY1.FNumber", "FBANKCODE", "FACCOUNTNAME", "FBankTypeRec.FNumber", "FTextBankDetail",
                    "FBankDetail.FNumber", "FOpenAddressRec", "FCNAPS", "FCURRENCYID.FNumber", "FISDEFAULT1")) {
                JsonNode published = row.fields().get(key.replace('.', '_'));
                assertThat(published.isArray()).as(key).isTrue();
                assertThat(published.size()).as(key + " has both accounts").isEqualTo(2);
                for (int i = 0; i < 2; i++) {
                    Object held = twoAccounts.bankAccounts().get(i).get(key);
                    JsonNode value = published.get(i);
                    if (held == null) {
                        assertThat(value.isNull()).as(key + "[" + i + "]").isTrue();
                    } else {
                        assertThat(value.asText()).as(key + "[" + i + "]").isEqualTo(held.toString());
                    }
                }
            }
            for (String key : CustomerFieldKeys.SEED) {
                assertThat(row.fields()).as("seed column %s", key).containsKey(key.replace('.', '_'));
            }
            assertThat(row.text("FSELLER_FName")).isEqualTo(twoAccounts.get("FSELLER.FName"));
            assertThat(row.text("FSALDEPTID_FName")).isEqualTo(twoAccounts.get("FSALDEPTID.FName"));
            assertThat(row.text("FDocumentStatus")).isEqualTo(twoAccounts.get("FDocumentStatus"));

            List<Long> ids = table.ids();
            SandboxCustomer odd = table.edit(ids.get(5), Map.of("FDescription", "2024-13-01 00:00:00", "FADDRESS", "2024-04-11 23:52:02"));
            SandboxCustomer approved = table.approve(ids.get(6));
            SandboxCustomer forbidden = table.forbid(ids.get(7));
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(f, forbidden.id())
                    .filter(r -> "B".equals(r.text("FForbidStatus"))).isPresent());
            SandboxCustomer enabled = table.enable(ids.get(7));
            SandboxCustomer after = table.edit(ids.get(8), Map.of("FMarginLevel", new BigDecimal("5")));
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(f, after.id())
                    .filter(r -> r.modifiedAt().equals(after.modifyDate().atZone(f.kingdee.options().zone()).toInstant())).isPresent());

            CustomerRow oddRow = latest(f, odd.id()).orElseThrow();
            assertThat(oddRow.text("FDescription")).as("text that looks like a date stays text").isEqualTo("2024-13-01 00:00:00");
            assertThat(oddRow.text("FADDRESS")).isEqualTo("2024-04-11 23:52:02");
            assertThat(latest(f, approved.id()).orElseThrow().text("FDocumentStatus")).isEqualTo("C");
            assertThat(latest(f, enabled.id()).orElseThrow().text("FForbidStatus")).isEqualTo("A");
            assertThat(f.rows().stream().filter(r -> r.phase() == CustomerRow.Phase.INCREMENTAL).map(CustomerRow::customerId))
                    .containsOnlyOnce(String.valueOf(odd.id()));
        }
    }

    private static Optional<CustomerRow> latest(ExtractorFixture f, long id) {
        return f.rows().stream().filter(r -> r.customerId().equals(String.valueOf(id))).reduce((a, b) -> b);
    }
}
