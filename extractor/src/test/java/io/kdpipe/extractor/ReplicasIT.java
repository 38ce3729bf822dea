package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ReplicasIT {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    private final KafkaBroker broker;

    ReplicasIT(KafkaBroker broker) {
        this.broker = broker;
    }

    private record Version(String customerId, Instant modifiedAt) {
    }

    @Test
    void shouldRunEachOfThreeJobsOnExactlyOneOfTwoInstancesAndHandThemOverWhenOneStops() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(900)))) {
            f.set("KINGDEE_USE_ORGS", "100,101,102").set("KINGDEE_PAGE_SIZE", "50")
                    .set("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s");
            Set<String> jobs = f.config().jobs().stream().map(JobSpec::id).collect(Collectors.toSet());
            Extractor a = f.start();
            Extractor b = f.start();
            List<SandboxCustomer> changes = new ArrayList<>();

            await().atMost(Duration.ofSeconds(30)).until(() -> !a.ownedJobs().isEmpty() && !b.ownedJobs().isEmpty()
                    && union(a.ownedJobs(), b.ownedJobs()).equals(jobs));
            // while both run and the table changes, no job is ever owned by both
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (changes.size() < 60) {
                    changes.add(f.kingdee.table().edit(f.kingdee.table().ids().get(changes.size() * 7)));
                }
                Set<String> ownedByA = a.ownedJobs();
                Set<String> ownedByB = b.ownedJobs();
                return ownedByA.stream().noneMatch(ownedByB::contains) && union(ownedByA, ownedByB).equals(jobs);
            });
            f.awaitSnapshots(Duration.ofSeconds(60));
            // each replica reports the start time of exactly the jobs it runs, and how many jobs there are
            assertThat(startedJobs(a)).isEqualTo(a.ownedJobs());
            assertThat(startedJobs(b)).isEqualTo(b.ownedJobs());
            assertThat(a.metrics().registry().get("kdpipe.extractor.jobs.configured").gauge().value()).isEqualTo(jobs.size());

            int movedJobs = a.ownedJobs().size();
            long stopped = System.nanoTime();
            a.close();
            await().atMost(SESSION_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> b.ownedJobs().equals(jobs));
            Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
            assertThat(startedJobs(b)).as("the new owner reports the jobs it took over").isEqualTo(jobs);
            assertThat(startedJobs(a)).as("the stopped replica no longer reports a job as started").isEmpty();
            System.out.printf("handover of %d job(s) after a clean stop: %d ms%n", movedJobs, handover.toMillis());

            for (int i = 0; i < 30; i++) {
                changes.add(f.kingdee.table().edit(f.kingdee.table().ids().get(500 + i)));
            }
            String acct = f.kingdee.options().acctId();
            Set<Version> expected = changes.stream().map(c -> new Version(String.valueOf(c.id()),
                    c.modifyDate().atZone(f.kingdee.options().zone()).toInstant())).collect(Collectors.toSet());
            // a change made while the snapshot ran lands in the snapshot or in the first poll, never in both
            await().atMost(Duration.ofSeconds(30)).until(() -> versions(f.rows()).keySet().containsAll(expected));

            List<CustomerRow> rows = f.rows();
            Map<String, Long> snapshot = rows.stream().filter(r -> r.phase() == CustomerRow.Phase.SNAPSHOT)
                    .collect(Collectors.groupingBy(CustomerRow::key, Collectors.counting()));
            assertThat(snapshot.keySet()).isEqualTo(f.kingdee.table().ids().stream().map(id -> acct + ":" + id).collect(Collectors.toSet()));
            assertThat(snapshot.values()).as("each customer snapshotted once").containsOnly(1L);
            Map<Version, Long> all = versions(rows);
            assertThat(all.values()).as("no version of any customer published twice").containsOnly(1L);
            assertThat(versions(rows.stream().filter(r -> r.phase() == CustomerRow.Phase.INCREMENTAL).toList()).keySet())
                    .as("polls publish only changes").isSubsetOf(expected);
        }
    }

    @Test
    void shouldMoveTheJobsOfAFrozenReplicaAndFenceItsWorkers() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(300)))) {
            f.set("KINGDEE_USE_ORGS", "100,101,102").set("KINGDEE_PAGE_SIZE", "50")
                    .set("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s")
                    // a replica whose group loop stops polling leaves the group after this long
                    .set("KAFKA_MAX_POLL_INTERVAL_MS", "5000");
            Set<String> jobs = f.config().jobs().stream().map(JobSpec::id).collect(Collectors.toSet());
            CountDownLatch thaw = new CountDownLatch(1);
            AtomicBoolean frozen = new AtomicBoolean();
            Extractor a = f.start(config -> new FreezableGroupClients(KafkaClients.of(config), config, frozen, thaw));
            Extractor b = f.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !a.ownedJobs().isEmpty() && !b.ownedJobs().isEmpty()
                        && union(a.ownedJobs(), b.ownedJobs()).equals(jobs));
                f.awaitSnapshots(Duration.ofSeconds(60));
                Set<String> ofA = a.ownedJobs();

                // A's group loop freezes (a long GC pause, a stuck thread): its job workers keep running
                frozen.set(true);
                await().atMost(Duration.ofSeconds(20)).until(() -> b.ownedJobs().equals(jobs));
                // B's workers have taken over A's jobs: their transactional ids are now B's
                await().atMost(Duration.ofSeconds(20)).until(() -> ofA.stream().allMatch(job ->
                        b.workers().get(job) != null && b.workers().get(job).status().detail().startsWith("watermark")));
                List<SandboxCustomer> changes = new ArrayList<>();
                for (SandboxCustomer c : f.kingdee.table().all()) {
                    if (changes.size() < 30) {
                        changes.add(f.kingdee.table().edit(c.id()));
                    }
                }
                // A's workers meet the changes too, and their commits are refused: B's transactional ids fenced them
                await().atMost(Duration.ofSeconds(20)).until(() -> ofA.stream().allMatch(job ->
                        !a.workers().get(job).alive() && a.workers().get(job).status().detail().equals("handed over to another extractor")));

                Set<Version> expected = changes.stream().map(c -> new Version(String.valueOf(c.id()),
                        c.modifyDate().atZone(f.kingdee.options().zone()).toInstant())).collect(Collectors.toSet());
                await().atMost(Duration.ofSeconds(20)).until(() -> versions(f.rows()).keySet().containsAll(expected));
                List<CustomerRow> rows = f.rows();
                assertThat(rows).hasSize(300 + 30);
                assertThat(versions(rows).values()).as("nothing published twice").containsOnly(1L);
            } finally {
                thaw.countDown();
            }
        }
    }

    /** Real clients, except that the group consumer's poll can be frozen, as in a stalled process. */
    private static final class FreezableGroupClients extends ForwardingClients {
        private final ExtractorConfig config;
        private final AtomicBoolean frozen;
        private final CountDownLatch thaw;

        FreezableGroupClients(KafkaClients real, ExtractorConfig config, AtomicBoolean frozen,
                CountDownLatch thaw) {
            super(real);
            this.config = config;
            this.frozen = frozen;
            this.thaw = thaw;
        }

        @Override
        public Consumer<byte[], byte[]> groupConsumer() {
            Map<String, Object> p = config.kafka().clientProperties();
            p.put("group.id", config.groupId());
            p.put("enable.auto.commit", false);
            p.put("session.timeout.ms", (int) config.sessionTimeout().toMillis());
            p.put("heartbeat.interval.ms", 1500);
            p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            return new KafkaConsumer<byte[], byte[]>(p,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
                @Override
                public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                    if (frozen.get()) {
                        try {
                            thaw.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return super.poll(timeout);
                }
            };
        }
    }

    private static Map<Version, Long> versions(List<CustomerRow> rows) {
        return rows.stream()
                .collect(Collectors.groupingBy(r -> new Version(r.customerId(), r.modifiedAt()), Collectors.counting()));
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> u = new HashSet<>(x);
        u.addAll(y);
        return u;
    }

    /** The jobs whose start-time gauge the replica exports. */
    private static Set<String> startedJobs(Extractor e) {
        return e.metrics().registry().find("kdpipe.extractor.job.started.timestamp.seconds").gauges().stream()
                .map(g -> g.getId().getTag("job")).collect(Collectors.toSet());
    }
}
