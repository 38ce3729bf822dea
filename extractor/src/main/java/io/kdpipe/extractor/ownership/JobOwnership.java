package io.kdpipe.extractor.ownership;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.job.JobStatus;
import io.kdpipe.extractor.job.JobWorker;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares jobs between extractor replicas through Kafka's consumer group protocol. Every replica
 * subscribes to the jobs topic in the same group; job {@code i} (jobs sorted by id) belongs to
 * partition {@code i % partitions}, so whoever the group coordinator assigns a partition owns its
 * jobs. The topic carries no records: the group membership is the point.
 *
 * <p>A replica starts a {@link JobWorker} when it gains a partition and stops it (waiting for it to
 * end) before giving the partition up, so a clean rebalance never runs a job twice. When a replica
 * dies or stalls instead, its partitions move after the session timeout, and the new owner's
 * {@code initTransactions()} with the job's transactional id fences the old producer: the old
 * owner can no longer commit anything.
 */
public final class JobOwnership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobOwnership.class);

    private final List<JobSpec> jobs;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Function<JobSpec, JobWorker> workers;
    private final ExtractorMetrics metrics;
    private final Duration stopTimeout;
    private final Map<String, JobWorker> running = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean polling;
    private volatile String failure;
    private Thread thread;

    public JobOwnership(List<JobSpec> jobs, String topic, Consumer<byte[], byte[]> consumer,
            Function<JobSpec, JobWorker> workers, ExtractorMetrics metrics, Duration stopTimeout) {
        this.jobs = jobs.stream().sorted(Comparator.comparing(JobSpec::id)).toList();
        this.topic = topic;
        this.consumer = consumer;
        this.workers = workers;
        this.metrics = metrics;
        this.stopTimeout = stopTimeout;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "extractor-ownership");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ids of the jobs this replica runs now. */
    public Set<String> ownedJobs() {
        return new TreeSet<>(running.keySet());
    }

    /** Status of each job this replica runs now. */
    public Map<String, JobStatus> statuses() {
        Map<String, JobStatus> out = new TreeMap<>();
        running.forEach((id, w) -> out.put(id, w.status()));
        return out;
    }

    public Map<String, JobWorker> workers() {
        return Map.copyOf(running);
    }

    /** True once the group loop polls; false after it ended. */
    public boolean polling() {
        return polling && !closed;
    }

    /** Why the group loop ended without being closed, or null while it is fine. */
    public String failure() {
        return failure;
    }

    private void run() {
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(metrics.registry());
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    stopJobs(partitions, "revoked");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    stopJobs(partitions, "lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    startJobs(partitions);
                }
            });
            polling = true;
            while (!closed) {
                consumer.poll(Duration.ofMillis(250));
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("The job ownership loop was woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            failure = e.toString();
            log.error("The job ownership loop failed; this replica gives up its jobs", e);
        } finally {
            polling = false;
            stopAll();
            consumerMetrics.close();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.debug("closing the group consumer failed: {}", e.toString());
            }
        }
    }

    private void startJobs(Collection<TopicPartition> partitions) {
        int count = partitionCount();
        for (TopicPartition tp : partitions) {
            for (JobSpec job : jobsOf(tp.partition(), count)) {
                running.computeIfAbsent(job.id(), id -> {
                    log.info("Taking job {} (partition {})", id, tp.partition());
                    JobWorker w = workers.apply(job);
                    w.start();
                    metrics.jobStarted(id, Instant.now());
                    return w;
                });
            }
        }
        metrics.jobsOwned(running.size());
    }

    private void stopJobs(Collection<TopicPartition> partitions, String why) {
        int count = partitionCount();
        List<JobWorker> stopping = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            for (JobSpec job : jobsOf(tp.partition(), count)) {
                JobWorker w = running.remove(job.id());
                if (w != null) {
                    log.info("Giving up job {} (partition {} {})", job.id(), tp.partition(), why);
                    metrics.jobStopped(job.id());
                    stopping.add(w);
                }
            }
        }
        stopping.forEach(w -> w.stop(stopTimeout));
        metrics.jobsOwned(running.size());
    }

    private void stopAll() {
        List<JobWorker> all = new ArrayList<>(running.values());
        running.keySet().forEach(metrics::jobStopped);
        running.clear();
        all.forEach(w -> w.stop(stopTimeout));
        metrics.jobsOwned(0);
    }

    private int partitionCount() {
        return consumer.partitionsFor(topic).size();
    }

    /** The jobs a partition carries: job {@code i} of the sorted list goes to partition {@code i % count}. */
    List<JobSpec> jobsOf(int partition, int count) {
        List<JobSpec> out = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (i % count == partition) {
                out.add(jobs.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            consumer.close(); // never started
            return;
        }
        try {
            t.join(stopTimeout.plusSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
