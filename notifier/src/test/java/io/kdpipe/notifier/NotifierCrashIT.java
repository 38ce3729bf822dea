package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.notifier.send.SendHooks;
import io.kdpipe.notifier.send.SendLoop;
import io.kdpipe.sandbox.dingtalk.SandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class NotifierCrashIT {

    private final KafkaBroker broker;
    private NotifierFixture fx;

    NotifierCrashIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.assertNoSecretsLogged();
            fx.close();
        }
    }

    @Test
    void shouldSendOnlyTheInFlightNoticeAgainAfterACrashBetweenSendAndCommit() {
        fx = new NotifierFixture(broker, SandboxOptions.builder().users(SandboxOptions.numberedUsers(20)));
        fx.set("NOTIFIER_VERIFY_SAMPLE_RATE", "1.0");
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
        assertThat(fx.ledger()).hasSize(24);
        assertThat(fx.sandbox.stats().sendCalls()).isEqualTo(25);

        fx.start("pod-0"); // the same replica restarted
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.ledger().size() == 60);

        assertThat(fx.sandbox.stats().sendCalls()).as("only the in-flight notice was sent twice").isEqualTo(61);
        assertThat(fx.sandbox.stats().duplicates()).isEqualTo(1);
        for (Notice n : notices) {
            assertThat(fx.copiesIn(n.recipients().userIds().get(0), n.msg())).as(n.id()).isEqualTo(1);
        }
        DeliveryRecord resent = fx.ledger().stream().filter(r -> r.noticeId().equals(inFlight.get().id())).findFirst().orElseThrow();
        assertThat(resent.verification()).isNotNull();
        assertThat(resent.verification().forbiddenUserIds()).as("getsendresult flags the second copy (143106)")
                .containsExactlyElementsOf(inFlight.get().recipients().userIds());
        assertThat(fx.ledger().stream().map(DeliveryRecord::noticeId).distinct().count()).isEqualTo(60);
        assertThat(fx.deadLetters()).isEmpty();
    }
}
