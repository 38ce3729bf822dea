package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.kingdee.KingdeeAuth;
import io.kdpipe.extractor.kingdee.KingdeeException;
import io.kdpipe.extractor.kingdee.KingdeeClient;
import io.kdpipe.extractor.kingdee.KingdeeSite;
import io.kdpipe.extractor.kingdee.RetryPolicy;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.ValueNormalizer;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.KafkaException;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The extraction logic against the sandbox, with the Kafka transaction replaced by a list. */
class JobRunnerTest {

    private final KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(200));
    private final List<CustomerRow> published = new ArrayList<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private JobSpec spec = new JobSpec("job", kingdee.options().acctId(), "BD_Customer",
            List.of("FCUSTID", "FModifyDate", "FName", "FBANKCODE"), Set.of("FBANKCODE"), "", 30,
            Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ZERO, Set.copyOf(ValueNormalizer.DATE_FIELDS));

    @AfterEach
    void stop() {
        kingdee.close();
    }

    private JobRunner runner(Checkpoint from) {
        return runner(from, Prefetch.inline(), q -> true, cp -> true);
    }

    /** A runner whose queries fail while {@code queryOk} says no, and whose commits fail while {@code commitOk} says no. */
    private JobRunner runner(Checkpoint from, Prefetch prefetch, Predicate<BillQuery> queryOk, Predicate<Checkpoint> commitOk) {
        var o = kingdee.options();
        KingdeeClient client = new KingdeeClient(new KingdeeSite(kingdee.baseUrl(), o.acctId(), o.username(),
                new KingdeeAuth.Password(new Secret(o.password())), 2052, Duration.ofSeconds(5)),
                RetryPolicy.defaults(), new ExtractorMetrics(new SimpleMeterRegistry()));
        KingdeeQuery query = q -> {
            if (!queryOk.test(q)) {
                throw new KingdeeException(KingdeeException.Kind.TRANSIENT, "ExecuteBillQuery", null, 503, "injected");
            }
            return client.executeBillQuery(q);
        };
        PageSink sink = (rows, dead, cp) -> {
            if (!commitOk.test(cp)) {
                throw new KafkaException("injected commit failure");
            }
            published.addAll(rows);
            deadLetters.addAll(dead);
            checkpoints.add(cp);
        };
        return new JobRunner(spec, query, new PageFetcher(spec, query, new RowFolder(spec.fieldKeys(), spec.entryFieldKeys(),
                new ValueNormalizer(o.zone()))), sink, Clock.systemUTC(), o.zone(), new ExtractorMetrics(new SimpleMeterRegistry()), from,
                prefetch);
    }

    @Test
    void shouldNeitherSkipNorRepeatAPageWhenAReadAheadOrACommitFails() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        AtomicInteger commits = new AtomicInteger();
        List<Class<?>> failures = new ArrayList<>();
        try (Prefetch prefetch = Prefetch.background("test-prefetch")) {
            // the 4th query (a read-ahead of the 3rd page) and the 5th commit fail once each
            JobRunner runner = runner(null, prefetch, q -> queries.incrementAndGet() != 4, cp -> commits.incrementAndGet() != 5);
            for (int attempt = 0; attempt < 5 && (runner.state() == null || !runner.state().snapshotComplete()); attempt++) {
                try {
                    runner.runOnce();
                } catch (KingdeeException | KafkaException e) {
                    failures.add(e.getClass());
                    assertThat(runner.state()).isEqualTo(checkpoints.get(checkpoints.size() - 1));
                }
            }
        }

        assertThat(failures).containsExactly(KingdeeException.class, KafkaException.class);
        assertThat(published).extracting(CustomerRow::customerId)
                .containsExactlyElementsOf(kingdee.table().ids().stream().map(String::valueOf).toList());
        assertThat(checkpoints.get(checkpoints.size() - 1).rowsPublished()).isEqualTo(200);
    }

    @Test
    void shouldAskForThePageAfterTheNextWhileAPageIsStillCommitting() throws Exception {
        AtomicInteger keysetQueries = new AtomicInteger();
        AtomicInteger commits = new AtomicInteger();
        AtomicBoolean secondAheadDuringFirstCommit = new AtomicBoolean();
        try (Prefetch prefetch = Prefetch.background("test-prefetch")) {
            JobRunner runner = runner(null, prefetch, q -> {
                if (q.filter().contains("FCUSTID >")) {
                    keysetQueries.incrementAndGet();
                }
                return true;
            }, cp -> {
                if (commits.incrementAndGet() == 1) {
                    // the first page commits: the second page's read arrives, and the third page's query goes out anyway
                    secondAheadDuringFirstCommit.set(awaitCount(keysetQueries, 2));
                }
                return true;
            });
            runner.runOnce();
        }

        assertThat(secondAheadDuringFirstCommit).isTrue();
        assertThat(published).extracting(CustomerRow::customerId)
                .containsExactlyElementsOf(kingdee.table().ids().stream().map(String::valueOf).toList());
        assertThat(checkpoints.get(checkpoints.size() - 1).snapshotComplete()).isTrue();
    }

    /** Whether {@code counter} reaches {@code count} within 10 seconds. */
    private static boolean awaitCount(AtomicInteger counter, int count) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> counter.get() >= count);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Test
    void shouldResumeASnapshotAfterTheLastCommittedPage() throws Exception {
        JobRunner first = runner(null);
        first.runOnce();
        Checkpoint midway = checkpoints.stream().filter(cp -> !cp.snapshotComplete()).skip(2).findFirst().orElseThrow();
        int publishedBefore = (int) midway.rowsPublished();
        List<CustomerRow> firstRun = List.copyOf(published);
        published.clear();
        checkpoints.clear();

        runner(midway).runOnce();

        assertThat(published).extracting(CustomerRow::customerId)
                .containsExactlyElementsOf(firstRun.subList(publishedBefore, firstRun.size()).stream().map(CustomerRow::customerId).toList());
        assertThat(checkpoints.get(checkpoints.size() - 1).snapshotComplete()).isTrue();
        assertThat(checkpoints.get(checkpoints.size() - 1).rowsPublished()).isEqualTo(200);
    }

    @Test
    void shouldKeepOnlyVersionKeysInsideTheOverlapWindow() throws Exception {
        JobRunner runner = runner(null);
        runner.runOnce();
        LocalDateTime now = kingdee.table().now();
        List<Long> ids = kingdee.table().ids();
        SandboxCustomer recent = kingdee.table().editAt(ids.get(50), now);
        SandboxCustomer tie = kingdee.table().editAt(ids.get(51), now);
        published.clear();
        runner.runOnce();
        // saves that commit later than the overlap window allows: not seen (size the window above the longest save)
        for (int i = 0; i < 20; i++) {
            kingdee.table().editAt(ids.get(i), now.minusMinutes(10).plusSeconds(i));
        }
        runner.runOnce();

        assertThat(published).extracting(CustomerRow::customerId)
                .containsExactlyInAnyOrder(String.valueOf(recent.id()), String.valueOf(tie.id()));
        Checkpoint cp = runner.state();
        assertThat(cp.watermark()).isEqualTo(now);
        assertThat(cp.keysAtWatermark()).contains(recent.id() + "@" + now, tie.id() + "@" + now)
                .allSatisfy(k -> assertThat(LocalDateTime.parse(k.substring(k.indexOf('@') + 1))).isAfterOrEqualTo(now.minusMinutes(2)));
    }

    @Test
    void shouldResumeFromACheckpointWrittenBeforeThePositionExistedWithoutRepeatingARow() throws Exception {
        runner(null).runOnce();
        LocalDateTime now = kingdee.table().now();
        List<Long> ids = kingdee.table().ids();
        SandboxCustomer before = kingdee.table().editAt(ids.get(10), now);
        SandboxCustomer tie = kingdee.table().editAt(ids.get(11), now);
        JobRunner first = runner(checkpoints.get(checkpoints.size() - 1));
        first.runOnce();
        Checkpoint cp = first.state();
        // the record as an extractor without watermarkKey/keysFrom wrote it
        String old = new String(Checkpoint.CODEC.encode(cp), StandardCharsets.UTF_8)
                .replaceAll(",?\"(watermarkKey|keysFrom)\":(null|\"[^\"]*\")", "");
        assertThat(old).doesNotContain("watermarkKey").doesNotContain("keysFrom").contains("keysAtWatermark");
        Checkpoint upgraded = Checkpoint.CODEC.decode(old.getBytes(StandardCharsets.UTF_8));
        assertThat(upgraded.watermarkKey()).isNull();
        assertThat(upgraded.keysAtWatermark()).contains(before.id() + "@" + now, tie.id() + "@" + now);
        published.clear();

        SandboxCustomer late = kingdee.table().lateCommit(ids.get(12), Duration.ofSeconds(30));
        SandboxCustomer sameMoment = kingdee.table().editAt(ids.get(13), now);
        SandboxCustomer after = kingdee.table().edit(ids.get(14));
        runner(upgraded).runOnce();

        assertThat(published).extracting(CustomerRow::customerId).containsExactlyInAnyOrder(
                String.valueOf(late.id()), String.valueOf(sameMoment.id()), String.valueOf(after.id()));
    }

    /** One row per customer: a page of 30 rows holds 29 customers and holds back the 30th. */
    private void oneRowPerCustomer() {
        spec = new JobSpec("job", kingdee.options().acctId(), "BD_Customer", List.of("FCUSTID", "FModifyDate", "FName"), Set.of(), "", 30,
                Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ZERO, Set.copyOf(ValueNormalizer.DATE_FIELDS));
    }

    @Test
    void shouldDeadLetterUnreadableRowsAtAPagesEndOnceAndMovePastThem() throws Exception {
        oneRowPerCustomer();
        runner(null).runOnce();
        LocalDateTime shared = kingdee.table().now();
        List<Long> bulk = kingdee.table().ids().subList(0, 50);
        kingdee.table().saveAll(bulk, Map.of("FName", "批量"), shared);
        // positions 20..35 of the save cannot be read: the first page (positions 0..28) ends among them
        List<Long> bad = bulk.subList(20, 36);
        for (long id : bad) {
            kingdee.table().saveServedAs(id, "FCUSTID", "X" + id, shared);
        }
        published.clear();
        JobRunner running = runner(checkpoints.get(checkpoints.size() - 1));
        running.runOnce();
        running.runOnce();

        assertThat(published).hasSize(50 - bad.size());
        assertThat(deadLetters).extracting(DeadLetter::key).as("each once")
                .containsExactlyInAnyOrderElementsOf(bad.stream().map(id -> spec.account() + ":X" + id).toList());
        assertThat(deadLetters).extracting(DeadLetter::reason).containsOnly("UNREADABLE_CUSTID");
        assertThat(running.state().watermark()).isEqualTo(shared);
        assertThat(running.state().watermarkKey()).isEqualTo(String.valueOf(bulk.get(49)));
    }

    @Test
    void shouldDeadLetterALateCommitWhoseDateCannotBeReadOnceFromTheLookBack() throws Exception {
        runner(null).runOnce();
        JobRunner running = runner(checkpoints.get(checkpoints.size() - 1));
        SandboxCustomer newest = kingdee.table().edit(kingdee.table().ids().get(0));
        running.runOnce();
        // a save that commits behind the position the forward read has passed, with a date Kingdee writes unreadably
        long lateId = kingdee.table().ids().get(1);
        kingdee.table().saveServedAs(lateId, "FModifyDate", "11/04/2024 23:52", newest.modifyDate().minusSeconds(20));
        published.clear();
        running.runOnce();
        running.runOnce();

        assertThat(deadLetters).extracting(DeadLetter::key).as("once, though every look-back meets it")
                .containsExactly(spec.account() + ":" + lateId);
        assertThat(deadLetters.get(0).message()).isEqualTo("FModifyDate '11/04/2024 23:52' is no date-time");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldFailWithTheReasonWhenAFullPageHasNoRowThatCanBePlaced() throws Exception {
        oneRowPerCustomer();
        runner(null).runOnce();
        LocalDateTime shared = kingdee.table().now();
        for (long id : kingdee.table().ids().subList(0, 40)) {
            kingdee.table().saveServedAs(id, "FModifyDate", "not a date", shared);
        }
        JobRunner running = runner(checkpoints.get(checkpoints.size() - 1));
        Checkpoint before = running.state();

        assertThat(Assertions.catchThrowableOfType(IllegalArgumentException.class, running::runOnce))
                .hasMessageContaining("a full page of 30 rows has no customer whose FCUSTID and FModifyDate can be read")
                .hasMessageContaining("'not a date'");
        assertThat(running.state()).as("nothing committed").isEqualTo(before);
    }

    @Test
    void shouldPublishABulkSaveLargerThanTheCheckpointListsOnceAcrossARestart() throws Exception {
        runner(null).runOnce();
        LocalDateTime shared = kingdee.table().now();
        List<Long> ids = kingdee.table().ids();
        // more rows share one FModifyDate than a checkpoint lists: the checkpoint lists none of them
        List<Long> bulkIds = ids.subList(0, 150);
        List<Checkpoint> written = new ArrayList<>();
        kingdee.table().saveAll(bulkIds, Map.of("FName", "批量"), shared);
        SandboxCustomer single = kingdee.table().editAt(ids.get(160), shared.plusNanos(2_000_000));
        published.clear();
        JobRunner running = runner(checkpoints.get(checkpoints.size() - 1), Prefetch.inline(), q -> true, cp -> written.add(cp))
                .listAtMost(100);
        running.runOnce();
        assertThat(published).hasSize(151);
        Checkpoint cp = running.state();
        assertThat(cp.keysAtWatermark()).containsExactly(single.id() + "@" + single.modifyDate());
        assertThat(cp.keysFrom()).isAfter(shared);
        assertThat(cp.watermarkKey()).isEqualTo(String.valueOf(single.id()));
        assertThat(written).allSatisfy(c -> assertThat(c.keysAtWatermark()).hasSizeLessThanOrEqualTo(100));

        // restarted from that checkpoint: nothing is published twice, a later save and a late one still are
        published.clear();
        SandboxCustomer late = kingdee.table().editAt(ids.get(170), shared.plusNanos(1_000_000));
        SandboxCustomer later = kingdee.table().edit(ids.get(171));
        JobRunner restarted = runner(cp).listAtMost(100);
        restarted.runOnce();
        restarted.runOnce();
        assertThat(published).extracting(CustomerRow::customerId)
                .containsExactlyInAnyOrder(String.valueOf(late.id()), String.valueOf(later.id()));
    }

    @Test
    void shouldLookBackOnlyAtDatesWhoseSavesMayStillCommit() throws Exception {
        List<BillQuery> lookBacks = new ArrayList<>();
        JobRunner runner = runner(null, Prefetch.inline(), q -> {
            if (q.fieldKeys().equals(JobRunner.LOOK_BACK_KEYS)) {
                lookBacks.add(q);
            }
            return true;
        }, cp -> true);
        runner.runOnce();
        // the newest seeded save is a day old: one look-back settles it, later polls read nothing behind the position
        runner.runOnce();
        runner.runOnce();
        runner.runOnce();
        assertThat(lookBacks).hasSize(1);

        SandboxCustomer now = kingdee.table().edit(kingdee.table().ids().get(3));
        runner.runOnce();
        runner.runOnce();
        assertThat(lookBacks).as("a save inside the overlap is looked back at on every poll").hasSize(3);
        SandboxCustomer late = kingdee.table().lateCommit(kingdee.table().ids().get(4), Duration.ofSeconds(30));
        published.clear();
        runner.runOnce();
        assertThat(published).extracting(CustomerRow::customerId).containsExactly(String.valueOf(late.id()));
        assertThat(now.id()).isNotEqualTo(late.id());
    }

    @Test
    void shouldPublishTheRestOfABulkSaveCutByARestartWithoutRepeatingAny() throws Exception {
        runner(null).runOnce();
        LocalDateTime shared = kingdee.table().now();
        List<Long> bulk = kingdee.table().ids().subList(0, 150);
        kingdee.table().saveAll(bulk, Map.of("FName", "批量"), shared);
        published.clear();
        // the third page of the save fails to commit: the job stops there, two pages (of 30 lines) published
        AtomicInteger commits = new AtomicInteger();
        JobRunner cut = runner(checkpoints.get(checkpoints.size() - 1), Prefetch.inline(), q -> true,
                cp -> commits.incrementAndGet() < 3).listAtMost(40);
        try {
            cut.runOnce();
        } catch (KafkaException expected) {
            // as a crash between pages
        }
        assertThat(published.size()).isBetween(41, 60);
        Checkpoint cp = cut.state();
        assertThat(cp.keysAtWatermark()).as("the save's timestamp is too big to list").isEmpty();

        JobRunner restarted = runner(cp).listAtMost(40);
        restarted.runOnce();
        restarted.runOnce();
        assertThat(published).extracting(CustomerRow::customerId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(bulk.stream().map(String::valueOf).toList());
    }
}
