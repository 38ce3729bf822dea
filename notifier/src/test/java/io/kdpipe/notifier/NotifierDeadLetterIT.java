package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotifierDeadLetterIT {

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    private NotifierFixture fixture(DingTalkSandboxOptions.Builder options) {
        fx = notifiers.open(options.users(DingTalkSandboxOptions.numberedUsers(10))
                .user(new SandboxUser("outsider", "外部", "13900000000", false)));
        return fx;
    }

    private static String h(ConsumerRecord<byte[], byte[]> r, String key) {
        return DeadLetterHeaders.text(r.headers(), key);
    }

    @Test
    void shouldDeadLetterPermanentErrorsAfterOneAttemptWithTheirContext() {
        // DingTalk's synchronous 33012 for an unknown userid, with the free check off so the send meets it
        fixture(DingTalkSandboxOptions.builder().invalidUsers(DingTalkSandboxOptions.InvalidUsers.REFUSE_33012));
        fx.set("NOTIFIER_CHECK_USERS", "false");
        Notice badUser = NotifierFixture.notice("bad-user", List.of("user-0001", "nobody"));
        Notice tooLong = NotifierFixture.notice("too-long", List.of("user-0002"), NotifierFixture.text("长".repeat(700)));
        Notice noPermission = NotifierFixture.notice("no-permission", List.of("outsider"));
        List<Notice> good = List.of(NotifierFixture.notice("good-1", List.of("user-0003")),
                NotifierFixture.notice("good-2", List.of("user-0004", "user-0005")));
        List<Notice> all = new ArrayList<>(good);
        all.addAll(List.of(badUser, tooLong, noPermission));
        fx.publish(all);
        fx.publishRaw("broken", "{not json".getBytes(StandardCharsets.UTF_8));

        var notifier = fx.start("a");
        List<ConsumerRecord<byte[], byte[]>> dlt = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            dlt.clear();
            dlt.addAll(fx.deadLetters());
            return dlt.size() >= 4 && fx.ledger().size() >= 5;
        });

        Map<String, ConsumerRecord<byte[], byte[]>> byId = dlt.stream().filter(r -> !"broken".equals(new String(r.key())))
                .collect(Collectors.toMap(r -> Notice.CODEC.decode(r.value()).id(), r -> r));
        assertThat(byId).containsOnlyKeys("bad-user", "too-long", "no-permission");
        assertThat(h(byId.get("bad-user"), DeadLetterHeaders.DINGTALK_ERRCODE)).isEqualTo("33012");
        assertThat(h(byId.get("too-long"), DeadLetterHeaders.DINGTALK_ERRCODE)).isEqualTo("45002");
        assertThat(h(byId.get("no-permission"), DeadLetterHeaders.DINGTALK_ERRCODE)).isEqualTo("88");
        assertThat(h(byId.get("no-permission"), DeadLetterHeaders.DINGTALK_SUB_CODE)).isEqualTo("60011");
        for (ConsumerRecord<byte[], byte[]> r : byId.values()) {
            assertThat(h(r, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("PERMANENT");
            assertThat(h(r, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
            assertThat(h(r, DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo(fx.topic(Topics.NOTICES));
            assertThat(h(r, DeadLetterHeaders.FIRST_FAILURE)).isNotNull();
            assertThat(Integer.parseInt(h(r, DeadLetterHeaders.ORIGIN_PARTITION))).isBetween(0, Topics.NOTICES.partitions() - 1);
            assertThat(h(r, DeadLetterHeaders.ORIGIN_OFFSET)).matches("\\d+");
        }
        Notice original = Notice.CODEC.decode(byId.get("too-long").value());
        assertThat(original).as("the original bytes are kept").isEqualTo(Notice.CODEC.decode(Notice.CODEC.encode(tooLong)));

        ConsumerRecord<byte[], byte[]> broken = dlt.stream().filter(r -> "broken".equals(new String(r.key()))).findFirst().orElseThrow();
        assertThat(broken.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(h(broken, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("UNDECODABLE");
        assertThat(h(broken, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("not valid JSON");

        assertThat(fx.sandbox.stats().sendCalls()).as("one call per notice, no retries").isEqualTo(5);
        assertThat(fx.copiesIn("user-0003", good.get(0).msg())).isEqualTo(1);
        assertThat(fx.copiesIn("user-0005", good.get(1).msg())).isEqualTo(1);
        assertThat(fx.sandbox.inbox("user-0001")).as("a call with a bad userid delivers to nobody").isEmpty();
        Map<String, DeliveryRecord.Status> ledger = fx.ledger().stream()
                .collect(Collectors.toMap(DeliveryRecord::noticeId, DeliveryRecord::status));
        assertThat(ledger).containsEntry("good-1", DeliveryRecord.Status.SENT).containsEntry("bad-user", DeliveryRecord.Status.DEAD_LETTERED);
        assertThat(notifier.counter("kdpipe.notifier.dead.letters", "reason", "BAD_USERID")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterTransientErrorsOnlyAfterTheDeadline() {
        fixture(DingTalkSandboxOptions.builder());
        fx.set("NOTIFIER_RETRY_DEADLINE", "3s").set("NOTIFIER_RETRY_INITIAL_BACKOFF", "200ms");
        fx.sandbox.faults().always(Fault.BUSY);
        Notice n = NotifierFixture.notice("always-busy", List.of("user-0001"));
        fx.publish(List.of(n));
        Instant published = Instant.now();
        fx.start("a");

        List<ConsumerRecord<byte[], byte[]>> dlt = fx.deadLetters();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dlt.clear();
            dlt.addAll(fx.deadLetters());
            return !dlt.isEmpty();
        });
        ConsumerRecord<byte[], byte[]> r = dlt.get(0);
        Instant firstFailure = Instant.parse(h(r, DeadLetterHeaders.FIRST_FAILURE));
        assertThat(firstFailure).isAfterOrEqualTo(published.minusSeconds(1));
        assertThat(Instant.ofEpochMilli(r.timestamp())).as("dead-lettered only once the deadline had passed")
                .isAfterOrEqualTo(firstFailure.plusSeconds(3));
        assertThat(h(r, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("RETRY_DEADLINE");
        assertThat(h(r, DeadLetterHeaders.DINGTALK_ERRCODE)).isEqualTo("-1");
        int attempts = Integer.parseInt(h(r, DeadLetterHeaders.ATTEMPTS));
        assertThat(attempts).isGreaterThan(2);
        assertThat(fx.sandbox.stats().sendCalls()).isEqualTo(attempts);
    }

    @Test
    void shouldPauseAtTheMonthlyBudgetWithReadinessDownAndLivenessUp() {
        fixture(DingTalkSandboxOptions.builder());
        fx.set("DINGTALK_MONTHLY_BUDGET", "3");
        List<Notice> notices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            notices.add(NotifierFixture.notice("budget-" + i, List.of("user-0006")));
        }
        fx.publish(notices);
        var notifier = fx.start("a");

        await().atMost(Duration.ofSeconds(30)).until(() -> !notifier.runtime().health().ready().up());
        Health.Report ready = notifier.runtime().health().ready();
        assertThat(ready.checks().get("dingtalk-budget").detail()).contains("budget used up (3/3)");
        assertThat(notifier.runtime().health().live().up()).isTrue();
        assertThat(fx.sandbox.inbox("user-0006")).hasSize(3);
        assertThat(fx.sandbox.stats().sendCalls()).isEqualTo(3);
        assertThat(fx.deadLetters()).as("notices wait for next month, they are not dropped").isEmpty();
        assertThat(notifier.runtime().registry().get("kdpipe.notifier.budget.remaining").gauge().value()).isZero();
    }

    @Test
    void shouldCountTheBudgetFromTheLedgerAcrossRestartsAndDeadLetterWhenAsked() {
        fixture(DingTalkSandboxOptions.builder());
        fx.set("DINGTALK_MONTHLY_BUDGET", "4");
        List<Notice> first = List.of(NotifierFixture.notice("m-1", List.of("user-0007")), NotifierFixture.notice("m-2", List.of("user-0007")),
                NotifierFixture.notice("m-3", List.of("user-0007")));
        fx.publish(first);
        var a = fx.start("a");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.ledger().size() == 3);
        a.runtime().close();

        fx.set("NOTIFIER_DEAD_LETTER_OVER_BUDGET", "true");
        fx.publish(List.of(NotifierFixture.notice("m-4", List.of("user-0007")), NotifierFixture.notice("m-5", List.of("user-0007"))));
        var b = fx.start("a");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.ledger().size() == 5);
        assertThat(fx.sandbox.stats().sendCalls()).as("the restart knew 3 of 4 calls were spent").isEqualTo(4);
        List<ConsumerRecord<byte[], byte[]>> dlt = fx.deadLetters();
        assertThat(dlt).hasSize(1);
        assertThat(h(dlt.get(0), DeadLetterHeaders.ERROR_CLASS)).isEqualTo("BUDGET");
        assertThat(b.runtime().health().live().up()).isTrue();
    }

    @Test
    void shouldStopOnDingTalksMonthlyQuotaAnswer() {
        fixture(DingTalkSandboxOptions.builder().monthlyQuota(2));
        fx.set("DINGTALK_MONTHLY_BUDGET", "5000");
        fx.publish(Arrays.asList(NotifierFixture.notice("q-1", List.of("user-0008")), NotifierFixture.notice("q-2", List.of("user-0008")),
                NotifierFixture.notice("q-3", List.of("user-0008")), NotifierFixture.notice("q-4", List.of("user-0008"))));
        var notifier = fx.start("a");
        await().atMost(Duration.ofSeconds(30)).until(() -> !notifier.runtime().health().ready().up());
        assertThat(notifier.runtime().health().ready().checks().get("dingtalk-budget").up()).isFalse();
        assertThat(fx.sandbox.inbox("user-0008")).hasSize(2);
        assertThat(fx.deadLetters()).isEmpty();
        assertThat(notifier.runtime().health().live().up()).isTrue();
    }
}
