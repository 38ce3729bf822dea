package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class RedriveIT {

    @Test
    void dryRunChangesNothingThenTheRateIsKeptAndNoDeadLetterMovesTwice(KafkaBroker broker) {
        try (OperateFixture fx = new OperateFixture(broker)) {
            String notices = fx.topic(Topics.NOTICES);
            for (int i = 0; i < 8; i++) {
                deadLetter(fx, notices, "rg-" + i, "n-" + i, "RETRY_DEADLINE", 90018L);
            }
            deadLetter(fx, notices, "rg-p", "n-p", "PERMANENT", 33012L);

            Map<TopicPartition, Long> before = fx.endOffsets();
            Cli.Result dry = fx.run("redrive", "--error-class", "RETRY_DEADLINE", "--dry-run");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(dry.out()).contains("Selected 8 dead letter(s)").contains("MOVE").contains("Dry run");
            assertThat(fx.endOffsets()).as("a dry run writes nothing anywhere").isEqualTo(before);

            long started = System.nanoTime();
            Cli.Result run = fx.run("redrive", "--error-class", "RETRY_DEADLINE", "--rate", "4", "--yes");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            List<ConsumerRecord<byte[], byte[]>> back = fx.readAll(notices);
            assertThat(back).hasSize(8).allSatisfy(r -> {
                Headers h = r.headers();
                assertThat(DeadLetterHeaders.text(h, DeadLetterHeaders.REDRIVE_COUNT)).isEqualTo("1");
                assertThat(DeadLetterHeaders.text(h, "trace-id")).as("original header kept").isEqualTo("trace-" + key(r));
                assertThat(h.lastHeader(DeadLetterHeaders.ORIGIN_TOPIC)).as("dead-letter context dropped").isNull();
                assertThat(Notice.CODEC.decode(r.value()).id()).isEqualTo("n-" + key(r).substring(3));
            });
            long first = back.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
            long last = back.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
            // 8 records at 4/s: 7 gaps of 250 ms
            assertThat(last - first).as("sends spread by --rate").isGreaterThanOrEqualTo(1_600);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_600));

            Cli.Result again = fx.run("redrive", "--error-class", "RETRY_DEADLINE", "--rate", "4", "--yes");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("Nothing to redrive");
            assertThat(fx.readAll(notices)).as("no dead letter is moved twice").hasSize(8);
            List<ConsumerRecord<byte[], byte[]>> audit = fx.readAll(fx.topic(Topics.AUDIT));
            assertThat(audit).hasSize(1);
            assertThat(new String(audit.get(0).value(), StandardCharsets.UTF_8))
                    .contains("\"command\":\"redrive\"").contains("\"errorClass\":\"RETRY_DEADLINE\"");
        }
    }

    @Test
    void refusesATargetOutsideThePipeline(KafkaBroker broker) throws Exception {
        try (OperateFixture fx = new OperateFixture(broker)) {
            String foreign = fx.prefix + "billing.invoices.v1";
            try (Admin admin = Admin.create(broker.clientConfig())) {
                admin.createTopics(List.of(new NewTopic(foreign, 1, (short) 1))).all().get();
            }
            deadLetter(fx, foreign, "inv-1", "n-x", "PERMANENT", null);
            Map<TopicPartition, Long> before = fx.endOffsets();

            Cli.Result run = fx.run("redrive", "--yes");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(run.out()).contains("REFUSE").contains("refused: " + foreign);
            assertThat(run.err()).contains("not a pipeline topic");
            assertThat(fx.endOffsets()).as("nothing written: not the foreign topic, no audit").isEqualTo(before);
        }
    }

    @Test
    void leavesRowsTheExtractorCouldNotReadWhereTheyAre(KafkaBroker broker) {
        try (OperateFixture fx = new OperateFixture(broker)) {
            Headers headers = DeadLetterHeaders.from(null, fx.topic(Topics.CUSTOMERS), -1, -1).errorClass("UNREADABLE_MODIFY_DATE")
                    .stage(DeadLetterHeaders.STAGE_EXTRACT).exception("io.kdpipe.extractor.UnreadableValue",
                            "FModifyDate '2024-13-01 00:00:00' is no date-time").build();
            fx.send(fx.topic(Topics.ROWS_DLT), "acct:100001".getBytes(StandardCharsets.UTF_8),
                    "{\"rows\":[[100001,\"2024-13-01 00:00:00\"]]}".getBytes(StandardCharsets.UTF_8), headers);
            Map<TopicPartition, Long> before = fx.endOffsets();

            Cli.Result run = fx.run("redrive", "--yes");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Nothing to redrive").contains("1 dead letter(s) of rows Kingdee sent");
            assertThat(fx.endOffsets()).as("nothing moved into the customers topic").isEqualTo(before);
        }
    }

    @Test
    void aDeadLetterThatKeepsFailingIsParkedAfterKRedrives(KafkaBroker broker) {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(1)).build())) {
            fx.publish(OperateFixture.notice("n-ghost", "100:9", List.of("ghost-user"), "发给不存在的人", Instant.now()));
            fx.startNotifier(sandbox);
            String dlt = fx.topic(Topics.NOTICES_DLT);
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.readAll(dlt).size() == 1);

            Cli.Result first = fx.run("redrive", "--max-redrives", "1", "--yes");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out()).contains("MOVE");
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.readAll(dlt).size() == 2);
            ConsumerRecord<byte[], byte[]> failedAgain = fx.readAll(dlt).stream()
                    .filter(r -> r.headers().lastHeader(DeadLetterHeaders.REDRIVE_COUNT) != null).findFirst().orElseThrow();
            assertThat(DeadLetterHeaders.text(failedAgain.headers(), DeadLetterHeaders.REDRIVE_COUNT))
                    .as("the notifier's dead letter keeps the raised count").isEqualTo("1");

            Cli.Result second = fx.run("redrive", "--max-redrives", "1", "--yes");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.out()).contains("PARK").contains("parked 1");
            List<ConsumerRecord<byte[], byte[]>> parked = fx.readAll(fx.topic(Topics.PARKED));
            assertThat(parked).hasSize(1);
            assertThat(Notice.CODEC.decode(parked.get(0).value()).id()).isEqualTo("n-ghost");
            assertThat(DeadLetterHeaders.text(parked.get(0).headers(), DeadLetterHeaders.ERROR_CLASS)).isEqualTo("PERMANENT");
            assertThat(fx.readAll(fx.topic(Topics.NOTICES))).as("the original and one redrive, no more").hasSize(2);
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static void deadLetter(OperateFixture fx, String origin, String key, String noticeId, String errorClass, Long errcode) {
        Notice n = OperateFixture.notice(noticeId, "100:1", List.of("user-0001"), "内容 " + noticeId, Instant.now());
        RecordHeaders original = new RecordHeaders();
        original.add("trace-id", ("trace-" + key).getBytes(StandardCharsets.UTF_8));
        Headers headers = DeadLetterHeaders.from(original, origin, 0, 7).errorClass(errorClass)
                .dingTalk(errcode, null).exception("java.lang.IllegalStateException", "failed").build();
        fx.send(fx.topic(Topics.NOTICES_DLT), key.getBytes(StandardCharsets.UTF_8), Notice.CODEC.encode(n), headers);
    }
}
