package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ReplayIT {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Test
    void replayByCustomerDeliversAMarkedResendAndASecondRunNeedsExplicitConsent(KafkaBroker broker) throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(3)).build())) {
            Instant now = Instant.now();
            publishCustomer(fx, "1001", "CUST-A", "甲公司", now);
            publishCustomer(fx, "1002", "CUST-B", "乙公司", now);
            Notice a = OperateFixture.notice("n-a", "100:1001", List.of("user-0001"), "客户 甲公司 已修改", now.minusSeconds(600));
            Notice b = OperateFixture.notice("n-b", "100:1002", List.of("user-0001"), "客户 乙公司 已修改", now.minusSeconds(500));
            fx.publish(a);
            fx.publish(b);
            fx.startNotifier(sandbox);
            await().atMost(DELIVERY).until(() -> sandbox.inbox("user-0001").size() == 2);

            Cli.Result first = fx.run("replay", "--customer", "CUST-A", "--yes");

            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out()).contains("n-a").doesNotContain("n-b ");
            await().atMost(DELIVERY).until(() -> sandbox.inbox("user-0001").size() == 3);
            String resent = content(sandbox.inbox("user-0001").get(2));
            assertThat(resent).startsWith("（重发）原通知时间").contains("客户 甲公司 已修改");
            assertThat(resends(fx)).extracting(n -> n.provenance().replayOf()).containsExactly("n-a");

            Map<TopicPartition, Long> before = fx.endOffsets();
            Cli.Result second = fx.run("replay", "--customer", "CUST-A", "--yes");
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(second.out()).contains("n-a -> n-a-r");
            assertThat(second.err()).contains("already resent").contains("--again");
            Cli.Result declined = fx.runAnswering("n\n", "replay", "--customer", "CUST-A", "--again");
            assertThat(declined.exitCode()).as(declined.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(fx.endOffsets()).as("a refused or declined replay publishes nothing").isEqualTo(before);

            Cli.Result confirmed = fx.runAnswering("yes\n", "replay", "--customer", "CUST-A", "--again");
            assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
            await().atMost(DELIVERY).until(() -> sandbox.inbox("user-0001").size() == 4);
            assertThat(content(sandbox.inbox("user-0001").get(3))).startsWith("（重发）").contains("客户 甲公司 已修改");
            assertThat(resends(fx)).extracting(n -> n.provenance().replayOf()).containsExactly("n-a", "n-a");

            List<AuditRecord> audit = fx.readAll(fx.topic(Topics.AUDIT)).stream()
                    .map(r -> AuditRecord.CODEC.decode(r.value())).toList();
            assertThat(audit).hasSize(2).allSatisfy(r -> {
                assertThat(r.command()).isEqualTo("replay");
                assertThat(r.selection()).containsEntry("customer", "CUST-A");
                assertThat(r.noticeIds()).containsExactly("n-a");
                assertThat(r.user()).isNotBlank();
            });
        }
    }

    @Test
    void replayByTimeRangeDryRunChangesNothingAndTheRealRunDeliversOnlyThatRange(KafkaBroker broker) {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(3)).build())) {
            Instant now = Instant.now();
            fx.publish(OperateFixture.notice("n-early", "100:2001", List.of("user-0002"), "早上的通知", now.minus(Duration.ofHours(3))));
            fx.publish(OperateFixture.notice("n-mid", "100:2002", List.of("user-0002"), "中午的通知", now.minus(Duration.ofHours(2))));
            fx.publish(OperateFixture.notice("n-late", "100:2003", List.of("user-0002"), "下午的通知", now.minus(Duration.ofHours(1))));
            String from = now.minus(Duration.ofMinutes(150)).toString();
            String to = now.minus(Duration.ofMinutes(90)).toString();

            Map<TopicPartition, Long> before = fx.endOffsets();
            Cli.Result dry = fx.run("replay", "--from", from, "--to", to, "--dry-run");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(dry.out()).contains("Selected 1 notice(s)").contains("n-mid").doesNotContain("n-early").doesNotContain("n-late")
                    .contains("Dry run");
            assertThat(fx.endOffsets()).as("a dry run writes nothing anywhere").isEqualTo(before);

            fx.startNotifier(sandbox);
            await().atMost(DELIVERY).until(() -> sandbox.inbox("user-0002").size() == 3);
            Cli.Result real = fx.run("replay", "--from", from, "--to", to);
            assertThat(real.exitCode()).as(real.toString()).isZero();
            await().atMost(DELIVERY).until(() -> sandbox.inbox("user-0002").size() == 4);
            assertThat(content(sandbox.inbox("user-0002").get(3))).startsWith("（重发）").contains("中午的通知");
            assertThat(resends(fx)).extracting(n -> n.provenance().replayOf()).containsExactly("n-mid");
        }
    }

    private static void publishCustomer(OperateFixture fx, String id, String number, String name, Instant at) {
        CustomerRow row = CustomerRow.of("100", "BD_Customer", id, at, at, CustomerRow.Phase.INCREMENTAL,
                Map.of("FNumber", TextNode.valueOf(number), "FName", TextNode.valueOf(name)));
        fx.send(fx.topic(Topics.CUSTOMERS), row.key(), CustomerRow.CODEC.encode(row));
    }

    private static List<Notice> resends(OperateFixture fx) {
        return fx.readAll(fx.topic(Topics.NOTICES)).stream().map(r -> Notice.CODEC.decode(r.value()))
                .filter(n -> n.provenance().replayOf() != null).toList();
    }

    private static String content(InboxMessage m) {
        JsonNode msg = m.msg();
        return msg.path("text").path("content").asText();
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
