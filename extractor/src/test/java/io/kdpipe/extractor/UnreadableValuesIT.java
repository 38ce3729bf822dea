package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.kingdee.CustomerTable;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Customers whose key or date Kingdee writes as text the extractor cannot read, among good rows, in
 * the snapshot and in incremental polls: each goes to the rows dead-letter topic once, with its
 * reason, and the good rows and later saves are published while the job stays ready.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnreadableValuesIT {

    private final KafkaBroker broker;

    UnreadableValuesIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldDeadLetterACustomerWhoseKeyOrDateCannotBeReadAndGoOn() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(40)))) {
            f.set("KINGDEE_PAGE_SIZE", "7");
            CustomerTable table = f.kingdee.table();
            List<Long> ids = table.ids();
            // saved last before the start: the newest FModifyDate the snapshot reads first is the one it cannot read
            SandboxCustomer inSnapshot = table.saveServedAs(ids.get(10), "FModifyDate", "2024-13-01 00:00:00");
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            assertThat(f.rows()).extracting(CustomerRow::customerId).doesNotContain(String.valueOf(inSnapshot.id()))
                    .hasSize(ids.size() - 1);

            SandboxCustomer before = table.edit(ids.get(1));
            SandboxCustomer badDate = table.saveServedAs(ids.get(2), "FModifyDate", "2024-13-01 00:00:00");
            SandboxCustomer middle = table.edit(ids.get(3));
            SandboxCustomer badKey = table.saveServedAs(ids.get(4), "FCUSTID", "CUST-" + ids.get(4));
            SandboxCustomer outOfRange = table.saveServedAs(ids.get(5), "FModifyDate", "9999-99-99");
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(f).size() >= 4);
            // saves after them, one of them of a customer dead-lettered before (now written as stored)
            SandboxCustomer later = table.edit(ids.get(6));
            SandboxCustomer fixed = table.edit(badDate.id());
            await().atMost(Duration.ofSeconds(30)).until(() -> published(f, fixed) && published(f, later));

            assertThat(published(f, before)).isTrue();
            assertThat(published(f, middle)).isTrue();
            List<ConsumerRecord<String, byte[]>> dead = deadLetters(f);
            Map<String, String> reasonByKey = dead.stream().collect(Collectors.toMap(
                    r -> String.valueOf(r.key()), r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS)));
            String acct = f.kingdee.options().acctId();
            assertThat(reasonByKey).as("each unreadable customer once, with its reason").containsExactlyInAnyOrderEntriesOf(Map.of(
                    acct + ":" + inSnapshot.id(), "UNREADABLE_MODIFY_DATE",
                    acct + ":" + badDate.id(), "UNREADABLE_MODIFY_DATE",
                    acct + ":CUST-" + badKey.id(), "UNREADABLE_CUSTID",
                    acct + ":" + outOfRange.id(), "UNREADABLE_MODIFY_DATE"));
            ConsumerRecord<String, byte[]> one = dead.stream().filter(r -> r.key().equals(acct + ":" + badDate.id())).findFirst().orElseThrow();
            assertThat(DeadLetterHeaders.text(one.headers(), DeadLetterHeaders.STAGE)).isEqualTo("extract");
            assertThat(DeadLetterHeaders.text(one.headers(), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo(f.customersTopic());
            assertThat(DeadLetterHeaders.text(one.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE))
                    .isEqualTo("FModifyDate '2024-13-01 00:00:00' is no date-time");
            JsonNode value = readTree(one.value());
            List<String> keys = f.config().jobs().get(0).fieldKeys();
            assertThat(value.path("fieldKeys")).hasSize(keys.size());
            assertThat(value.path("rows").get(0).get(keys.indexOf("FCUSTID")).asLong()).as("the rows as Kingdee sent them").isEqualTo(badDate.id());
            assertThat(value.toString()).contains("2024-13-01 00:00:00");

            assertThat(f.rows().stream().filter(r -> r.phase() == CustomerRow.Phase.INCREMENTAL).map(CustomerRow::customerId))
                    .as("no unreadable version published, no good one twice")
                    .doesNotContain(String.valueOf(badKey.id()), String.valueOf(outOfRange.id()))
                    .containsOnlyOnce(String.valueOf(before.id()), String.valueOf(middle.id()), String.valueOf(later.id()));
            assertThat(extractor.readiness().up()).as(extractor.readiness().detail()).isTrue();
            String job = f.config().jobs().get(0).id();
            assertThat(f.metrics(extractor).count("kdpipe.extractor.dead.letters", "job", job, "reason", "UNREADABLE_MODIFY_DATE")).isEqualTo(3);
            assertThat(f.metrics(extractor).count("kdpipe.extractor.dead.letters", "job", job, "reason", "UNREADABLE_CUSTID")).isEqualTo(1);
            assertThat(f.metrics(extractor).count("kdpipe.extractor.job.errors")).as("no step failed").isZero();
        }
    }

    private static boolean published(ExtractorFixture f, SandboxCustomer version) {
        return f.rows().stream().anyMatch(r -> r.customerId().equals(String.valueOf(version.id()))
                && r.modifiedAt().equals(version.modifyDate().atZone(f.kingdee.options().zone()).toInstant()));
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(ExtractorFixture f) {
        return new TopicReader<>(f.broker, new StringDeserializer(), new ByteArrayDeserializer()).readAll(Topics.ROWS_DLT.name(f.prefix));
    }

    private static JsonNode readTree(byte[] value) {
        try {
            return Json.mapper().readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
