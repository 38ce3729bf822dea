package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotifierBackoffIT {

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    private List<Notice> notices(String prefix, int count) {
        List<Notice> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(NotifierFixture.notice(prefix + i, List.of(String.format("user-%04d", 1 + i % 5))));
        }
        return out;
    }

    private static Duration gapAfter(List<DingTalkSandbox.Call> journal, String outcome) {
        for (int i = 0; i + 1 < journal.size(); i++) {
            if (journal.get(i).outcome().equals(outcome)) {
                return Duration.between(journal.get(i).at(), journal.get(i + 1).at());
            }
        }
        throw new AssertionError("no call answered " + outcome + " in " + journal);
    }

    @Test
    void shouldPauseEverySendAfterRateAnswers() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5)));
        fx.sandbox.faults().next(Fault.APP_RATE, Fault.GLOBAL_QPS);
        fx.publish(notices("rate-", 6));
        var notifier = fx.start("a");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.ledger().size() == 6);

        List<DingTalkSandbox.Call> journal = fx.sandbox.journal();
        assertThat(journal.get(0).outcome()).isEqualTo("APP_RATE");
        assertThat(gapAfter(journal, "APP_RATE")).as("88/90018: wait at least a second").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(gapAfter(journal, "GLOBAL_QPS")).as("90002: back off").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(notifier.counter("kdpipe.notifier.global.pauses", "reason", "APP_RATE")).isEqualTo(1.0);
        assertThat(notifier.counter("kdpipe.notifier.global.pauses", "reason", "GLOBAL_RATE")).isEqualTo(1.0);
        assertThat(fx.sandbox.stats().delivered()).isEqualTo(6);
    }

    @Test
    void shouldPauseEverySendAfterAnIpBanAndReportItInReadiness() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5)));
        fx.set("NOTIFIER_IP_BAN_PAUSE", "3s");
        fx.sandbox.faults().next(Fault.BAN_HTML);
        fx.publish(notices("ban-", 4));
        var notifier = fx.start("a");

        await().atMost(Duration.ofSeconds(20)).until(() -> !notifier.runtime().health().ready().up());
        assertThat(notifier.runtime().health().ready().checks().get("dingtalk").detail()).contains("IP_BAN");
        assertThat(notifier.runtime().health().live().up()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.ledger().size() == 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.runtime().health().ready().up());
        assertThat(gapAfter(fx.sandbox.journal(), "BAN_HTML")).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldKeepPollingWhileANoticeWaitsForItsRetrySoTheGroupNeverRebalances() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5)));
        // a loop that stopped polling while retrying would be thrown out of the group after 2 s
        fx.set("KAFKA_MAX_POLL_INTERVAL_MS", "2000").set("NOTIFIER_RETRY_INITIAL_BACKOFF", "200ms");
        fx.sandbox.faults().always(Fault.BUSY);
        List<Notice> notices = notices("slow-", 3);
        fx.publish(notices);
        var notifier = fx.start("a");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var busy = fx.sandbox.journal().stream().filter(c -> c.outcome().equals("BUSY")).toList();
            return busy.size() > 2 && Duration.between(busy.get(0).at(), busy.get(busy.size() - 1).at()).toMillis() > 5000;
        });
        fx.sandbox.faults().clear();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.ledger().size() == 3);

        assertThat(fx.ledger()).allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryRecord.Status.SENT));
        assertThat(fx.ledger().stream().mapToInt(DeliveryRecord::attempts).max().orElseThrow()).isGreaterThan(2);
        assertThat(fx.logs.lines().stream().filter(l -> l.contains("Assigned ")).count()).as("one assignment, no rebalance").isEqualTo(1);
        assertThat(notifier.counter("kdpipe.notifier.transaction.failures")).isZero();
        for (Notice n : notices) {
            assertThat(fx.copiesIn(n.recipients().userIds().get(0), n.msg())).isEqualTo(1);
        }
        assertThat(fx.deadLetters()).isEmpty();
    }

    @Test
    void shouldReportRefusedCredentialsInReadinessWithoutLoggingThem() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5)));
        String wrong = "wrong-secret-" + UUID.randomUUID();
        fx.set("DINGTALK_APP_SECRET", wrong).set("NOTIFIER_RETRY_MAX_BACKOFF", "1s");
        fx.publish(notices("creds-", 1));
        var notifier = fx.start("a");

        await().atMost(Duration.ofSeconds(20)).until(() -> !notifier.runtime().health().ready().up());
        assertThat(notifier.runtime().health().ready().checks().get("dingtalk").detail()).contains("CREDENTIALS_REFUSED");
        assertThat(notifier.runtime().health().live().up()).isTrue();
        assertThat(notifier.counter("kdpipe.notifier.token.refreshes", "outcome", "failed")).isGreaterThanOrEqualTo(1.0);
        assertThat(fx.sandbox.stats().sendCalls()).as("nothing is sent without a token").isZero();
        assertThat(fx.logs.lines()).anyMatch(l -> l.contains("CREDENTIALS_REFUSED"));
        assertThat(fx.logs.lines()).noneMatch(l -> l.contains(wrong));
        assertThat(notifier.runtime().registry().scrape()).doesNotContain(wrong);
    }
}
