package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 5,000 notices through faults. The sandbox's rate limit and the notifier's rate are both raised to
 * 100 calls/s (the notifier uses all of it) so the run takes about a minute instead of five; the
 * sandbox still refuses and counts anything over its limit in any one-second window. Each notice's
 * ledger entry and offset are committed in a transaction of their own (the default).
 */
class NotifierLoadIT {

    private static final Logger log = LoggerFactory.getLogger(NotifierLoadIT.class);
    private static final int NOTICES = 5_000;
    private static final int USERS = 50;
    private static final int RATE = 100;

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    @Test
    void shouldDeliverEveryNoticeExactlyOnceThroughTransientFaultsAndTokenExpiry() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(USERS))
                .qps(RATE).monthlyQuota(50_000));
        fx.set("DINGTALK_RATE_PER_SECOND", String.valueOf(RATE))
                .set("DINGTALK_MONTHLY_BUDGET", "50000")
                .set("DINGTALK_HTTP_TIMEOUT", "500ms");
        fx.sandbox.faults()
                .random(0.10, Fault.BUSY, Fault.HTTP_5XX, Fault.BAN_HTML)
                .invalidateTokenEvery(200)
                .hangFor(Duration.ofSeconds(1))
                .next(Fault.HANG_AFTER_DELIVERY, Fault.HANG_BEFORE_DELIVERY);
        fx.set("NOTIFIER_IP_BAN_PAUSE", "100ms");

        List<Notice> notices = new ArrayList<>();
        for (int i = 0; i < NOTICES; i++) {
            List<String> to = new ArrayList<>();
            for (int k = 0; k < 1 + i % 3; k++) {
                to.add(String.format("user-%04d", 1 + (i * 7 + k * 13) % USERS));
            }
            notices.add(NotifierFixture.notice("load-" + i, to.stream().distinct().toList()));
        }
        fx.publish(notices);

        long start = System.nanoTime();
        var notifier = fx.start("a");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> notifier.counter("kdpipe.notifier.notices", "outcome", "accepted") >= NOTICES);
        double seconds = (System.nanoTime() - start) / 1e9;

        var stats = fx.sandbox.stats();
        log.info("{} notices in {} s: {} send calls, {} faults injected, {} tokens, {} duplicates absorbed, {} QPS violations",
                NOTICES, String.format("%.1f", seconds), stats.sendCalls(), stats.faultsInjected(), stats.tokensIssued(),
                stats.duplicates(), stats.qpsViolations());

        assertThat(stats.qpsViolations()).as("the sandbox never saw more than its rate").isZero();
        assertThat(stats.faultsInjected()).as("faults were injected").isGreaterThan(NOTICES / 20);
        assertThat(stats.tokensIssued()).as("the token was invalidated every 200 calls").isGreaterThanOrEqualTo(NOTICES / 200);
        assertThat(fx.deadLetters()).isEmpty();

        Map<String, List<JsonNode>> inboxes = fx.sandbox.inboxes().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream().map(InboxMessage::msg).toList()));
        for (int u = 1; u <= USERS; u++) {
            String user = String.format("user-%04d", u);
            List<JsonNode> expected = notices.stream().filter(n -> n.recipients().userIds().contains(user)).map(Notice::msg).toList();
            assertThat(inboxes.getOrDefault(user, List.of())).as(user + " holds each of its notices exactly once")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        Map<String, Long> ledger = fx.ledger().stream().collect(Collectors.groupingBy(DeliveryRecord::noticeId, Collectors.counting()));
        assertThat(ledger).hasSize(NOTICES);
        assertThat(ledger.values()).allMatch(c -> c == 1L);
        assertThat(notifier.counter("kdpipe.notifier.token.refreshes", "outcome", "ok")).isGreaterThanOrEqualTo(NOTICES / 200.0);
        assertThat(notifier.runtime().registry().get("kdpipe.notifier.freshness").timer().count()).isEqualTo(NOTICES);
        assertThat(notifier.runtime().registry().scrape()).contains("kdpipe_notifier_sends_total", "kdpipe_notifier_budget_used",
                "kafka_consumer_fetch_manager_records_lag");
    }
}
