package io.kdpipe.notifier.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.DirectoryEntry.Status;
import io.kdpipe.notifier.dingtalk.UserLookup;
import io.kdpipe.notifier.dingtalk.Verdict;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserChecksTest {

    private static final String TOPIC = "dingtalk.directory.v1";
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private final Map<String, UserLookup.Found> contacts = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private MockConsumer<byte[], byte[]> consumer;
    private DirectoryView directory;
    private UserChecks checks;
    private long offset;

    @BeforeEach
    void start() {
        consumer = new MockConsumer<>("earliest");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, 0L));
        directory = new DirectoryView(consumer, TOPIC);
        directory.start();
        checks = new UserChecks(u -> {
            asked.add(u);
            UserLookup.Found f = contacts.getOrDefault(u, UserLookup.Found.NOT_FOUND);
            Verdict v = f == UserLookup.Found.MEMBER ? Verdict.noAnswer("x", "x") : new Verdict(false, null, null, 200, 60121L, null,
                    "BAD_USERID", "找不到该用户");
            return new UserLookup(f, v);
        }, directory, Duration.ofHours(24), Duration.ofMinutes(1), true);
    }

    private void put(DirectoryEntry e) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e)));
        directory.tail();
    }

    private static DirectoryEntry person(String number, String userId, Status status, Instant checkedAt, Instant updatedAt) {
        return new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, number, null, userId, null, updatedAt,
                status, checkedAt, null);
    }

    @Test
    void shouldDropADepartedMemberAndAnUnknownUseridAndMarkThemInTheDirectory() {
        contacts.put("zhangwei", UserLookup.Found.MEMBER);
        put(person("XSY007", "zhangwei", Status.UNCHECKED, null, NOW.minusSeconds(60)));
        put(person("XSY010", "wangwu", Status.ACTIVE, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2))));
        put(person("XSY011", "ghost", Status.UNCHECKED, null, NOW.minusSeconds(60)));

        UserChecks.Screen s = checks.screen(List.of("zhangwei", "wangwu", "ghost"), NOW);
        assertThat(s.deliverable()).containsExactly("zhangwei");
        assertThat(s.dropped()).containsEntry("wangwu", Status.DEPARTED).containsEntry("ghost", Status.UNKNOWN);
        assertThat(s.errcode()).isEqualTo(60121L);
        assertThat(s.lookups()).isEqualTo(3);
        assertThat(s.updates()).extracting(DirectoryEntry::number, DirectoryEntry::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("XSY007", Status.ACTIVE), org.assertj.core.groups.Tuple.tuple("XSY010", Status.DEPARTED),
                org.assertj.core.groups.Tuple.tuple("XSY011", Status.UNKNOWN));
        assertThat(s.reason()).isEqualTo("INVALID_USER");
        assertThat(checks.screen(List.of("wangwu"), NOW).reason()).isEqualTo("DEPARTED");
    }

    @Test
    void shouldTrustARecentCheckAndAskAgainWhenItIsOldOrTheEntryWasFixed() {
        contacts.put("zhangwei", UserLookup.Found.MEMBER);
        put(person("XSY007", "zhangwei", Status.ACTIVE, NOW.minusSeconds(3600), NOW.minusSeconds(3600)));
        assertThat(checks.screen(List.of("zhangwei"), NOW).deliverable()).containsExactly("zhangwei");
        assertThat(asked).as("checked an hour ago: trusted, no lookup").isEmpty();

        assertThat(checks.screen(List.of("ghost"), NOW).dropped()).containsKey("ghost");
        assertThat(checks.screen(List.of("ghost"), NOW.plusSeconds(30)).dropped()).containsKey("ghost");
        assertThat(asked).as("a negative finding is trusted for a minute").containsExactly("ghost");
        contacts.put("ghost", UserLookup.Found.MEMBER);
        put(person("XSY011", "ghost", Status.UNCHECKED, null, NOW.plusSeconds(40))); // the directory is fixed
        assertThat(checks.screen(List.of("ghost"), NOW.plusSeconds(45)).deliverable()).containsExactly("ghost");
        assertThat(asked).containsExactly("ghost", "ghost");

        assertThat(checks.screen(List.of("zhangwei"), NOW.plus(Duration.ofHours(24))).deliverable()).containsExactly("zhangwei");
        assertThat(asked).as("a day later the member is checked again").containsExactly("ghost", "ghost", "zhangwei");
    }

    @Test
    void shouldSweepTheDirectoryAFewUseridsAtATime() {
        contacts.put("a", UserLookup.Found.MEMBER);
        contacts.put("b", UserLookup.Found.MEMBER);
        put(person("P1", "a", Status.UNCHECKED, null, NOW));
        put(person("P2", "b", Status.UNCHECKED, null, NOW));
        put(person("P3", "c", Status.ACTIVE, NOW, NOW));
        List<DirectoryEntry> first = checks.sweep(NOW, 1);
        assertThat(first).hasSize(1);
        first.forEach(directory::written);
        List<DirectoryEntry> second = checks.sweep(NOW, 5);
        assertThat(second).hasSize(1);
        assertThat(asked).containsExactlyInAnyOrder("a", "b");
    }
}
