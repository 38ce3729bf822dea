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
import java.util.stream.Collectors;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.sandbox.kingdee.SandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
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
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(SandboxOptions.defaults().withCustomers(900)))) {
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

            int movedJobs = a.ownedJobs().size();
            long stopped = System.nanoTime();
            a.close();
            await().atMost(SESSION_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> b.ownedJobs().equals(jobs));
            Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
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

    private static Map<Version, Long> versions(List<CustomerRow> rows) {
        return rows.stream()
                .collect(Collectors.groupingBy(r -> new Version(r.customerId(), r.modifiedAt()), Collectors.counting()));
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> u = new HashSet<>(x);
        u.addAll(y);
        return u;
    }
}
