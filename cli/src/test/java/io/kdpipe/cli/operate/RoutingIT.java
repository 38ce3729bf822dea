package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing from the directory the CLI loads, through the real transformer and notifier, to the
 * DingTalk sandbox's inboxes: departments, the old and the new salesperson, no directory gap in any
 * message, and re-routing of a notice that reached nobody once the directory is fixed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RoutingIT {

    private static final String GAP_TEXT = "未在钉钉通讯录中找到";

    @Test
    void departmentsAreImportedAndTheOldAndTheNewSalespersonAreToldWithNoDirectoryGapInAnyMessage(KafkaBroker broker,
            @TempDir Path dir) throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(3)).build())) {
            importCsv(fx, dir, "salespeople.csv", """
                    number,name,mobile,userid
                    XSY014,王芳,13800000001,user-0001
                    XSY022,李强,13800000002,user-0002
                    """);
            Cli.Result departments = importCsv(fx, dir, "departments.csv", """
                    number,name,deptid,manager_userid
                    BM0301,华东销售部,4021,user-0003
                    """, "--departments");
            assertThat(departments.out()).contains("Wrote 1 departments").contains("(1 with a manager)");
            DirectoryEntry dept = fx.directory().get("department:BM0301");
            assertThat(dept.deptId()).isEqualTo(4021L);
            assertThat(dept.managerUserId()).isEqualTo("user-0003");

            fx.startNotifier(sandbox);
            try (KafkaStreams transformer = fx.startTransformer(dir)) {
                Instant t0 = Instant.now().minusSeconds(600);
                // the department BM0399 is not in the directory: nobody's message may say so
                row(fx, "6001", t0, "XSY022", "BM0399");
                await().atMost(Duration.ofSeconds(90)).until(() -> sandbox.inbox("user-0002").size() == 1);
                assertThat(text(sandbox.inbox("user-0002").get(0))).contains("CUST-6001").doesNotContain(GAP_TEXT);

                // moved from XSY022 to XSY014: both hear of it
                row(fx, "6001", t0.plusSeconds(60), "XSY014", "BM0399");
                await().atMost(Duration.ofSeconds(90)).until(() -> sandbox.inbox("user-0001").size() == 1
                        && sandbox.inbox("user-0002").size() == 2);
                String toNew = text(sandbox.inbox("user-0001").get(0));
                String toOld = text(sandbox.inbox("user-0002").get(1));
                assertThat(toNew).isEqualTo(toOld).contains("客户资料变更").contains("XSY022 → XSY014").doesNotContain(GAP_TEXT);

                // a salesperson the directory lacks: the imported department's manager is told, and the message stays clean
                row(fx, "6002", t0, "XSY099", "BM0301");
                await().atMost(Duration.ofSeconds(90)).until(() -> sandbox.inbox("user-0003").size() == 1);
                assertThat(text(sandbox.inbox("user-0003").get(0))).contains("CUST-6002").doesNotContain(GAP_TEXT)
                        .doesNotContain("XSY099 is not");
                Notice toManager = notices(fx).stream().filter(n -> n.customerKeys().contains("100:6002")).findFirst().orElseThrow();
                assertThat(toManager.routing().notes()).contains("salesperson XSY099 is not in the directory",
                        "fallback: user-0003, manager of department BM0301 (华东销售部)");
                assertThat(sandbox.inboxes().values().stream().mapToInt(List::size).sum()).as("no one else was told").isEqualTo(4);
            }
        }
    }

    @Test
    void aNoticeThatReachedNobodyReachesTheRightPersonOnceAfterTheDirectoryIsFixed(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(3))
                     .resultDelay(Duration.ofSeconds(1)).build())) {
            importCsv(fx, dir, "salespeople.csv", """
                    number,name,mobile,userid
                    XSY014,王芳,13800000001,user-0001
                    """);
            // every notice's getsendresult is asked a second after the send, so "delivered" can be confirmed
            fx.startNotifier(sandbox, Map.of("NOTIFIER_VERIFY_KINDS", "CREATED,APPROVED,CHANGED,FORBIDDEN,ENABLED,DIGEST",
                    "NOTIFIER_VERIFY_DELAY", "1s"));
            String id;
            try (KafkaStreams transformer = fx.startTransformer(dir)) {
                row(fx, "7001", Instant.now().minusSeconds(60), "XSY030", null);
                String dlt = fx.topic(Topics.NOTICES_DLT);
                await().atMost(Duration.ofSeconds(90)).until(() -> fx.readAll(dlt).size() == 1);
                ConsumerRecord<byte[], byte[]> dead = fx.readAll(dlt).get(0);
                assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("NO_RECIPIENTS");
                id = Notice.CODEC.decode(dead.value()).id();
            }

            Cli.Result replayAsBuilt = fx.run("replay", "--notice", id, "--dry-run");
            assertThat(recipientsColumn(replayAsBuilt, id)).as(replayAsBuilt.toString()).isEqualTo("0");
            Cli.Result stillUnknown = fx.run("redrive", "--reroute", "--yes");
            assertThat(stillUnknown.exitCode()).as(stillUnknown.toString()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(stillUnknown.out()).contains("STAY").contains("still reaches nobody");

            importCsv(fx, dir, "more.csv", """
                    number,name,mobile,userid
                    XSY030,赵六,13800000003,user-0003
                    """);
            Cli.Result replayRerouted = fx.run("replay", "--notice", id, "--reroute", "--dry-run");
            assertThat(recipientsColumn(replayRerouted, id)).as(replayRerouted.toString()).isEqualTo("1");
            assertThat(replayRerouted.out()).contains("re-routed to user-0003");

            Cli.Result redrive = fx.run("redrive", "--reroute", "--yes");
            assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
            assertThat(redrive.out()).contains("MOVE").contains("re-routed to user-0003");
            await().atMost(Duration.ofSeconds(60)).until(() -> sent(fx, id));
            assertThat(sandbox.inbox("user-0003")).hasSize(1);
            assertThat(text(sandbox.inbox("user-0003").get(0))).contains("CUST-7001").doesNotContain(GAP_TEXT);
            Cli.Result[] last = new Cli.Result[1];
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                last[0] = fx.run("trail", "--notice", id, "-b", broker.bootstrapServers(), "--topic-prefix", fx.prefix);
                assertThat(last[0].exitCode()).as(last[0].toString()).isZero();
                assertThat(last[0].out().lines().findFirst().orElseThrow()).as("confirmed by getsendresult")
                        .startsWith("delivered to 赵六 (user-0003)");
            });
            Cli.Result trail = last[0];
            assertThat(trail.out().lines().findFirst().orElseThrow())
                    .as("the gap the notice was built with is closed").doesNotContain("not sent to");
            assertThat(trail.out()).contains("routing: salesperson XSY030 is not in the directory")
                    .contains("re-routed to 赵六 (user-0003)");

            Map<TopicPartition, Long> before = fx.endOffsets();
            Cli.Result again = fx.run("redrive", "--reroute", "--yes");
            assertThat(again.out()).contains("Nothing to redrive");
            assertThat(fx.endOffsets()).as("a second run moves nothing").isEqualTo(before);
            assertThat(sandbox.inbox("user-0003")).as("exactly once").hasSize(1);
            assertThat(sandbox.inboxes().values().stream().mapToInt(List::size).sum()).isEqualTo(1);
        }
    }

    private static Cli.Result importCsv(OperateFixture fx, Path dir, String name, String content, String... options) throws Exception {
        Path csv = dir.resolve(name);
        Files.writeString(csv, content, StandardCharsets.UTF_8);
        String[] args = new String[options.length + 3];
        args[0] = "directory";
        args[1] = "import";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 1] = csv.toString();
        Cli.Result r = fx.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static void row(OperateFixture fx, String id, Instant modifiedAt, String seller, String dept) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("FNumber", TextNode.valueOf("CUST-" + id));
        fields.put("FName", TextNode.valueOf("客户" + id));
        fields.put("FSELLER_FNumber", TextNode.valueOf(seller));
        if (dept != null) {
            fields.put("FSALDEPTID_FNumber", TextNode.valueOf(dept));
        }
        CustomerRow row = CustomerRow.of("100", "BD_Customer", id, modifiedAt, Instant.now(), CustomerRow.Phase.INCREMENTAL, fields);
        fx.send(fx.topic(Topics.CUSTOMERS), row.key(), CustomerRow.CODEC.encode(row));
    }

    private static List<Notice> notices(OperateFixture fx) {
        return fx.readAll(fx.topic(Topics.NOTICES)).stream().map(r -> Notice.CODEC.decode(r.value())).toList();
    }

    private static boolean sent(OperateFixture fx, String id) {
        return fx.readAll(fx.topic(Topics.DELIVERIES)).stream().map(r -> DeliveryRecord.CODEC.decode(r.value()))
                .anyMatch(d -> d.noticeId().equals(id) && d.status() == DeliveryRecord.Status.SENT);
    }

    private static String text(InboxMessage m) {
        return m.msg().toString();
    }

    /** The RECIPIENTS column of the notice's line in replay's table. */
    private static String recipientsColumn(Cli.Result r, String id) {
        String line = r.out().lines().filter(l -> l.trim().startsWith(id)).findFirst().orElseThrow();
        String[] cols = line.trim().split("\\s+");
        return cols[cols.length - 2];
    }
}
