package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.notifier.send.SendHooks;
import io.kdpipe.notifier.send.SendLoop;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotifierCrashIT {

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    /** The ledger's latest entry per notice. */
    private Map<String, DeliveryRecord> latest() {
        Map<String, DeliveryRecord> out = new HashMap<>();
        fx.ledger().forEach(r -> out.put(r.noticeId(), r));
        return out;
    }

    @Test
    void shouldSendOnlyTheInFlightNoticeAgainAfterACrashBetweenSendAndCommit() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(20)).resultDelay(Duration.ZERO));
        fx.set("NOTIFIER_VERIFY_SAMPLE_RATE", "1.0").set("NOTIFIER_VERIFY_DELAY", "200ms");
        List<Notice> notices = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            notices.add(NotifierFixture.notice("crash-" + i, List.of(String.format("user-%04d", 1 + i % 20))));
        }
        fx.publish(notices);

        AtomicInteger sends = new AtomicInteger();
        AtomicReference<Notice> inFlight = new AtomicReference<>();
        var first = fx.start("pod-0", new SendHooks() {
            @Override
            public void sentNotCommitted(Notice notice) {
                if (sends.incrementAndGet() == 25) {
                    inFlight.set(notice);
                    throw new SendLoop.Halt("crash after sending " + notice.id() + ", before its commit");
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> first.notifier().stopped());
        first.runtime().close();
        assertThat(latest()).hasSize(24);
        assertThat(fx.sandbox.stats().sendCalls()).isEqualTo(25);

        fx.start("pod-0"); // the same replica restarted
        await().atMost(Duration.ofSeconds(60)).until(() -> latest().size() == 60
                && latest().values().stream().allMatch(r -> r.delivery() == DeliveryRecord.Delivery.DELIVERED));

        assertThat(fx.sandbox.stats().sendCalls()).as("only the in-flight notice was sent twice").isEqualTo(61);
        assertThat(fx.sandbox.stats().duplicates()).isEqualTo(1);
        for (Notice n : notices) {
            assertThat(fx.copiesIn(n.recipients().userIds().get(0), n.msg())).as(n.id()).isEqualTo(1);
        }
        DeliveryRecord resent = latest().get(inFlight.get().id());
        assertThat(resent.verification()).isNotNull();
        assertThat(resent.delivery()).as("getsendresult flags the second copy (143106): the person has that content")
                .isEqualTo(DeliveryRecord.Delivery.DELIVERED);
        assertThat(fx.deadLetters()).isEmpty();
    }

    /** An unexpected failure inside the send loop, an exception or a JVM error, never leaves it dead behind a live process. */
    @Test
    void shouldMarkLivenessDownWhenTheSendLoopDiesOfAnUnexpectedFailure() {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(4)).resultDelay(Duration.ZERO));
        fx.publish(List.of(NotifierFixture.notice("boom-1", List.of("user-0001")), NotifierFixture.notice("boom-2", List.of("user-0002"))));
        List<Throwable> failures = List.of(new IllegalStateException("unexpected state"), new StackOverflowError());
        for (int i = 0; i < failures.size(); i++) {
            Throwable failure = failures.get(i);
            var instance = fx.start("pod-" + i, new SendHooks() {
                @Override
                public void sentNotCommitted(Notice notice) {
                    if (failure instanceof RuntimeException r) {
                        throw r;
                    }
                    throw (Error) failure;
                }
            });
            // the loop rethrows a JVM error after marking itself down: its thread ends with it, uncaught
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(() -> instance.notifier().stopped());
            assertThat(instance.runtime().health().live().up()).as(failure.getClass().getSimpleName()).isFalse();
            assertThat(instance.runtime().health().live().toString()).contains("send loop stopped: " + failure.getClass().getSimpleName());
            // what main closes its runtime with, so the process exits 1
            assertThat(instance.notifier().failed()).isTrue();
            AtomicBoolean onFailureRan = new AtomicBoolean();
            instance.notifier().onFailure(() -> onFailureRan.set(true));
            await().atMost(Duration.ofSeconds(10)).untilTrue(onFailureRan);
            instance.runtime().close();
        }
        assertThat(latest()).as("nothing was committed").isEmpty();
    }

    /**
     * DingTalk drops a same-content repeat only within one day (Asia/Shanghai). A notice DingTalk
     * accepted just before midnight, whose ledger commit a crash prevented, is sent again after the
     * restart; once midnight has passed, that copy reaches the inbox a second time. Only a notice
     * inside the send→commit window when its notifier died or was fenced can be resent, so such
     * copies are bounded by those events (docs/reliability.md).
     */
    @Test
    void shouldDeliverACopyAgainWhenTheResendCrossesMidnightInShanghai() {
        ManualClock dingTalkClock = new ManualClock(Instant.parse("2026-12-06T15:59:30Z")); // 23:59:30 in Shanghai
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(2)).resultDelay(Duration.ZERO)
                .clock(dingTalkClock));
        Notice notice = NotifierFixture.notice("midnight-1", List.of("user-0001"));
        fx.publish(List.of(notice));
        var first = fx.start("pod-0", new SendHooks() {
            @Override
            public void sentNotCommitted(Notice n) {
                throw new SendLoop.Halt("crash after sending " + n.id() + ", before its commit");
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> first.notifier().stopped());
        assertThat(first.notifier().failed()).as("a halt is not a failure").isFalse();
        first.runtime().close();
        assertThat(fx.copiesIn("user-0001", notice.msg())).isEqualTo(1);
        assertThat(latest()).isEmpty();

        dingTalkClock.advance(Duration.ofMinutes(1)); // 00:00:30 the next day in Shanghai
        fx.start("pod-0");
        await().atMost(Duration.ofSeconds(60)).until(() -> latest().containsKey(notice.id()));

        assertThat(fx.sandbox.stats().sendCalls()).isEqualTo(2);
        assertThat(fx.sandbox.stats().duplicates()).as("a new day: DingTalk does not drop the repeat").isZero();
        assertThat(fx.copiesIn("user-0001", notice.msg())).as("the resend reached the inbox again").isEqualTo(2);
    }
}
