package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class DirectoryIT {

    @Test
    void importAndResolveFillUserIdsThatTheTransformerRoutesTo(KafkaBroker broker, @TempDir Path dir) throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(3)).build())) {
            Path csv = dir.resolve("salespeople.csv");
            Files.writeString(csv, """
                    number,name,mobile,userid
                    XSY001,张三,13800000001,zhangsan-own
                    XSY002,李四,138 0000 0002,
                    XSY003,王五,13999999999,
                    """, StandardCharsets.UTF_8);

            Cli.Result imported = fx.run("directory", "import", csv.toString());
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            assertThat(imported.out()).contains("Wrote 3 entries").contains("2 without a userid");

            fx.env.putAll(sandbox.serviceSettings());
            Cli.Result resolved = fx.run("directory", "resolve");

            assertThat(resolved.exitCode()).as(resolved.toString()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(resolved.out()).contains("2 person(s) to look up").contains("NOT FOUND  XSY003")
                    .contains("XSY002").contains("user-0002").doesNotContain(sandbox.options().appSecret());
            Map<String, DirectoryEntry> directory = fx.directory();
            assertThat(directory.get("person:XSY001").userId()).isEqualTo("zhangsan-own");
            assertThat(directory.get("person:XSY002").userId()).isEqualTo("user-0002");
            assertThat(directory.get("person:XSY003").userId()).isNull();

            // the transformer routes a change of XSY002's customer to the resolved userid
            try (KafkaStreams streams = fx.startTransformer(dir)) {
                Instant at = Instant.now();
                CustomerRow row = CustomerRow.of("100", "BD_Customer", "5001", at, at, CustomerRow.Phase.INCREMENTAL,
                        Map.of("FNumber", TextNode.valueOf("CUST-5001"), "FName", TextNode.valueOf("丙公司"),
                                "FSELLER_FNumber", TextNode.valueOf("XSY002")));
                fx.send(fx.topic(Topics.CUSTOMERS), row.key(), CustomerRow.CODEC.encode(row));

                await().atMost(Duration.ofSeconds(60)).until(() -> fx.readAll(fx.topic(Topics.NOTICES)).size() >= 1);
                Optional<Notice> notice = fx.readAll(fx.topic(Topics.NOTICES)).stream().map(r -> Notice.CODEC.decode(r.value())).findFirst();
                assertThat(notice).get().satisfies(n -> {
                    assertThat(n.customerKeys()).containsExactly("100:5001");
                    assertThat(n.recipients().userIds()).contains("user-0002");
                });
            }
        }
    }
}
