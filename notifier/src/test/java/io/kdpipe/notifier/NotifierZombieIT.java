package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.notifier.send.SendHooks;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replaced notifier that was frozen, not dead. Replicas have transactional ids of their own (the pod
 * name), so a replacement does not fence its predecessor's producer; the consumer group does: each
 * ledger transaction carries the group generation its offsets were read under, and the group
 * coordinator refuses a stale one.
 *
 * <p>Notifier A freezes inside its send loop after DingTalk accepted a notice and before the ledger
 * commit. Only the loop thread is frozen: the consumer's heartbeats go on, so the group drops A when
 * {@code max.poll.interval.ms} (4 s here) has passed without a poll. (A whole process stopped, by a
 * long GC pause or a frozen container, is dropped by the session timeout instead.) B, with another
 * transactional id in the same group, takes every partition and sends what A had not committed. Then
 * A wakes.
 *
 * <p>Two notices per ledger transaction, and A freezes at its tenth send, the second of a batch: on
 * waking its commit is refused at once. A loop that went on sending the notices still queued for its
 * other partitions before polling again would exceed the bound of one batch of extra attempts.
 */
class NotifierZombieIT {

    private static final Logger log = LoggerFactory.getLogger(NotifierZombieIT.class);
    private static final int FIRST_WAVE = 30;
    private static final int SECOND_WAVE = 18;
    /** A freezes at its tenth send, the second notice of its fifth ledger transaction. */
    private static final int FREEZE_AT = 10;
    private static final int COMMIT_BATCH = 2;

    @RegisterExtension
    final NotifierExtension notifiers = new NotifierExtension();
    private NotifierFixture fx;

    /** Records the notices one notifier sent; A's also freezes once, at its {@link #FREEZE_AT}th send. */
    private static final class Sends implements SendHooks {
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final CountDownLatch frozen = new CountDownLatch(1);
        final CountDownLatch wake = new CountDownLatch(1);
        private final boolean freeze;
        private final AtomicBoolean froze = new AtomicBoolean();

        Sends(boolean freeze) {
            this.freeze = freeze;
        }

        @Override
        public void sentNotCommitted(Notice notice) {
            ids.add(notice.id());
            if (freeze && ids.size() == FREEZE_AT && froze.compareAndSet(false, true)) {
                frozen.countDown();
                try {
                    wake.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static List<Notice> notices(String prefix, int count) {
        List<Notice> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(NotifierFixture.notice(prefix + i, List.of(String.format("user-%04d", 1 + i % 10))));
        }
        return out;
    }

    private Set<String> ledgerIds() {
        return fx.ledger().stream().map(DeliveryRecord::noticeId).collect(Collectors.toSet());
    }

    /** Members of the notifiers' group that own notice partitions now. */
    private long membersOwningPartitions() throws Exception {
        try (Admin admin = Admin.create(fx.broker.clientConfig())) {
            return admin.describeConsumerGroups(List.of(fx.group)).all().get().get(fx.group).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        }
    }

    /** Both group protocols: the classic one (the default) and KIP-848's, which fences by member epoch. */
    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void shouldRefuseAFrozenNotifiersLedgerCommitAfterItsReplacementTookOver(String groupProtocol) throws InterruptedException {
        fx = notifiers.open(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(10)));
        fx.set("KAFKA_GROUP_PROTOCOL", groupProtocol).set("KAFKA_MAX_POLL_INTERVAL_MS", "4000").set("NOTIFIER_COMMIT_BATCH", String.valueOf(COMMIT_BATCH));
        List<Notice> first = notices("zombie-", FIRST_WAVE);
        fx.publish(first);

        Sends sentByA = new Sends(true);
        Sends sentByB = new Sends(false);
        var a = fx.start("a", sentByA);
        try {
            assertThat(sentByA.frozen.await(60, TimeUnit.SECONDS)).as("A froze between a send and its commit").isTrue();
            Set<String> committedByA = ledgerIds();
            Set<String> heldAtFreeze = new HashSet<>(sentByA.ids);
            heldAtFreeze.removeAll(committedByA);
            assertThat(heldAtFreeze).as("A holds sent notices it has not committed").isNotEmpty();

            var b = fx.start("b", sentByB); // the replacement: same group, its own transactional id
            await().atMost(Duration.ofSeconds(60)).until(() -> ledgerIds().containsAll(first.stream().map(Notice::id).toList()));
            assertThat(sentByB.ids).as("B sent again what A held").containsAll(heldAtFreeze);

            sentByA.wake.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("kdpipe.notifier.transaction.failures") >= 1);
            assertThat(fx.logs.lines()).as("the group coordinator refused A's stale generation")
                    .anyMatch(l -> l.contains("Ledger transaction failed") && l.contains("CommitFailedException"));

            // A recovers: it rejoins the group, takes partitions back and sends the next notices it owns
            await().atMost(Duration.ofSeconds(60)).until(() -> membersOwningPartitions() == 2);
            List<Notice> second = notices("after-", SECOND_WAVE);
            fx.publish(second);
            await().atMost(Duration.ofSeconds(60)).until(() -> ledgerIds().containsAll(second.stream().map(Notice::id).toList()));
            assertThat(a.notifier().stopped()).isFalse();
            assertThat(a.runtime().health().live().up()).isTrue();
            assertThat(second).as("A sends again after it rejoined").anyMatch(n -> sentByA.ids.contains(n.id()));
            assertThat(second).as("B still sends its share").anyMatch(n -> sentByB.ids.contains(n.id()));
            assertThat(b.notifier().stopped()).isFalse();

            List<Notice> all = new ArrayList<>(first);
            all.addAll(second);
            List<DeliveryRecord> ledger = fx.ledger();
            assertThat(LedgerCheck.problems(all, ledger)).as("one committed delivery per notice and recipient").isEmpty();
            Map<String, DeliveryRecord> byId = ledger.stream().collect(Collectors.toMap(DeliveryRecord::noticeId, Function.identity()));
            Set<String> resent = new HashSet<>(sentByA.ids);
            resent.retainAll(sentByB.ids);
            assertThat(resent).as("every notice both sent is one A held: sent and not committed when its commit was refused")
                    .containsAll(heldAtFreeze).hasSizeLessThanOrEqualTo(COMMIT_BATCH)
                    .allMatch(id -> !committedByA.contains(id) && byId.containsKey(id));
            log.info("{}: A held {} sent notices at the freeze and {} in all when its commit was refused; B sent them again",
                    groupProtocol, heldAtFreeze.size(), resent.size());
            for (Notice n : all) {
                assertThat(fx.copiesIn(n.recipients().userIds().get(0), n.msg())).as(n.id()).isEqualTo(1);
            }
            var stats = fx.sandbox.stats();
            assertThat(stats.sendCalls()).as("A's stale sends: one extra attempt per notice it held")
                    .isEqualTo(all.size() + resent.size());
            assertThat(stats.duplicates()).as("DingTalk drops each same-day, same-content repeat").isEqualTo(resent.size());
            assertThat(fx.deadLetters()).isEmpty();
        } finally {
            sentByA.wake.countDown();
        }
    }
}
