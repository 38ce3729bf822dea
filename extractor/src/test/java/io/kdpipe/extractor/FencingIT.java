package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.job.CheckpointReader;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.job.JobWorker;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What protects a job when the group protocol alone cannot: an old owner that stalled (here: a
 * Kingdee call that hangs) while a new owner took the job. The new owner's transactional id fences
 * the old producer, so the old owner's late page can never be committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FencingIT {

    private final KafkaBroker broker;

    FencingIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldFenceAStalledOldOwnerSoItsLatePageIsNeverCommitted() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(1_500)));
                Admin admin = Admin.create(broker.clientConfig())) {
            f.set("KINGDEE_PAGE_SIZE", "100").set("KINGDEE_TIMEOUT", "60s");
            ExtractorConfig config = f.config();
            new TopicInitializer(admin, f.prefix, (short) -1).ensure(List.of(Topics.CUSTOMERS, Topics.CHECKPOINTS));
            JobSpec job = config.jobs().get(0);
            // the old owner's third query hangs: it stalls mid-snapshot with its producer still open
            f.kingdee.faults().next(KingdeeFaults.delay(Duration.ZERO)).next(KingdeeFaults.delay(Duration.ZERO)).next(KingdeeFaults.delay(Duration.ZERO))
                    .next(KingdeeFaults.hang());
            JobWorker old = worker(f, config, admin, job);
            old.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> f.kingdee.calls("ExecuteBillQuery") >= 4);
            // the page before the hung query (read ahead) may still be committing: wait until the old owner stands still
            AtomicLong seen = new AtomicLong(-1);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(30)).until(() -> {
                long now = old.committed() == null ? -1 : old.committed().rowsPublished();
                return seen.getAndSet(now) == now && now > 0;
            });
            long oldProgress = old.committed().rowsPublished();

            JobWorker owner = worker(f, config, admin, job);
            owner.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            f.kingdee.faults().releaseHung(); // the old owner wakes up with its page and tries to commit it

            await().atMost(Duration.ofSeconds(20)).until(() -> !old.alive());
            assertThat(old.status().detail()).isEqualTo("handed over to another extractor");
            assertThat(old.committed().rowsPublished()).isEqualTo(oldProgress);
            Map<String, Long> perId = f.rows().stream().collect(Collectors.groupingBy(CustomerRow::customerId, Collectors.counting()));
            assertThat(perId).hasSize(1_500);
            assertThat(perId.values()).containsOnly(1L);
            owner.stop(Duration.ofSeconds(10));
        }
    }

    private static JobWorker worker(ExtractorFixture f, ExtractorConfig config, Admin admin, JobSpec job) {
        ExtractorMetrics metrics = new ExtractorMetrics(new SimpleMeterRegistry());
        KafkaClients clients = KafkaClients.of(config);
        return ExtractorMain.jobWorker(job, config, clients, new CheckpointReader(admin, clients::checkpointConsumer,
                Topics.CHECKPOINTS.name(f.prefix), Duration.ofSeconds(60)), metrics, Clock.systemUTC());
    }
}
