package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class RestartIT {

    private final KafkaBroker broker;

    RestartIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldLoseAndRepeatNothingWhenStoppedMidPageBeforeTheCommitAndRestarted() throws Exception {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(2_000)))) {
            f.set("KINGDEE_PAGE_SIZE", "150");
            CountDownLatch stuck = new CountDownLatch(1);
            // the first extractor's producer sends its fourth page, then hangs instead of committing it
            Extractor first = f.start(config -> new CrashingClients(KafkaClients.of(config), broker, 4, stuck));
            assertThat(stuck.await(60, TimeUnit.SECONDS)).as("the fourth page was sent and is waiting to commit").isTrue();
            String job = f.config().jobs().get(0).id();
            long committedBeforeStop = f.checkpoint(job).orElseThrow().rowsPublished();

            first.close();

            assertThat(uncommittedRecords(f)).as("the stopped page's rows reached the log, uncommitted").isGreaterThan(committedBeforeStop);
            assertThat(f.rows()).as("read_committed shows only the committed pages").hasSize((int) committedBeforeStop);

            f.kingdee.table().edit(f.kingdee.table().ids().get(0));
            f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(20)).until(() -> f.rows().size() == 2_001);

            Map<String, Long> snapshot = f.rows().stream().filter(r -> r.phase() == CustomerRow.Phase.SNAPSHOT)
                    .collect(Collectors.groupingBy(CustomerRow::customerId, Collectors.counting()));
            assertThat(snapshot.keySet()).isEqualTo(f.kingdee.table().ids().stream().map(String::valueOf).collect(Collectors.toSet()));
            assertThat(snapshot.values()).as("nothing lost, nothing repeated").containsOnly(1L);
        }
    }

    /** Records in the customers topic as read_uncommitted sees them (aborted and open transactions too). */
    private long uncommittedRecords(ExtractorFixture f) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(broker.clientConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(f.customersTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Real clients, except that the producer blocks in the n-th commit until the extractor stops it. */
    private static final class CrashingClients extends ForwardingClients {
        private final KafkaBroker broker;
        private final int blockAt;
        private final CountDownLatch stuck;

        CrashingClients(KafkaClients real, KafkaBroker broker, int blockAt, CountDownLatch stuck) {
            super(real);
            this.broker = broker;
            this.blockAt = blockAt;
            this.stuck = stuck;
        }

        @Override
        public Producer<String, byte[]> producer(String transactionalId) {
            Map<String, Object> p = new HashMap<>(broker.clientConfig());
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            AtomicInteger commits = new AtomicInteger();
            return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()) {
                @Override
                public void commitTransaction() {
                    if (commits.incrementAndGet() == blockAt) {
                        flush();
                        stuck.countDown();
                        try {
                            new CountDownLatch(1).await(); // until the extractor stops this thread
                        } catch (InterruptedException e) {
                            throw new InterruptException(e);
                        }
                    }
                    super.commitTransaction();
                }
            };
        }
    }
}
