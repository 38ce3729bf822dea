package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two replicas share one app's rate (40 calls/s here, the sandbox's limit too) and one ledger. */
class NotifierTwoInstancesIT {

    private static final int NOTICES = 600;
    private static final int RATE = 40;

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    @Test
    void shouldStayWithinTheRateTogetherAndNeverResendALedgeredNoticeOnRebalance() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(30)).qps(RATE));
        fx.set("DINGTALK_RATE_PER_SECOND", String.valueOf(RATE));
        List<Notice> notices = new ArrayList<>();
        for (int i = 0; i < NOTICES; i++) {
            notices.add(NotifierFixture.notice("pair-" + i, List.of(String.format("user-%04d", 1 + i % 30))));
        }
        fx.publish(notices);

        var a = fx.start("a");
        await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("kdpipe.notifier.notices", "outcome", "accepted") >= 100);
        var b = fx.start("b"); // the group rebalances while A is sending
        await().atMost(Duration.ofSeconds(60)).until(() -> b.counter("kdpipe.notifier.notices", "outcome", "accepted") >= 20);

        // notices republished after they were delivered (an upstream replay) must be skipped by the ledger
        List<Notice> delivered = fx.ledger().stream().map(DeliveryRecord::noticeId).limit(100)
                .map(id -> notices.get(Integer.parseInt(id.substring("pair-".length())))).toList();
        fx.publish(delivered);

        await().atMost(Duration.ofSeconds(90)).until(() -> fx.ledger().size() >= NOTICES
                && a.counter("kdpipe.notifier.notices", "outcome", "skipped_in_ledger")
                + b.counter("kdpipe.notifier.notices", "outcome", "skipped_in_ledger") >= delivered.size());

        var stats = fx.sandbox.stats();
        assertThat(stats.qpsViolations()).as("both replicas together stayed within the app's rate").isZero();
        assertThat(stats.sendCalls()).as("no notice was sent twice, across the rebalance and the replay").isEqualTo(NOTICES);
        assertThat(stats.duplicates()).isZero();
        for (Notice n : notices) {
            assertThat(fx.copiesIn(n.recipients().userIds().get(0), n.msg())).as(n.id()).isEqualTo(1);
        }
        assertThat(fx.ledger()).hasSize(NOTICES);
        assertThat(a.counter("kdpipe.notifier.notices", "outcome", "accepted")
                + b.counter("kdpipe.notifier.notices", "outcome", "accepted")).isEqualTo(NOTICES);
        assertThat(fx.deadLetters()).isEmpty();
    }
}
