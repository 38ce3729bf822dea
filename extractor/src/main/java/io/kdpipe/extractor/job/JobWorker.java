package io.kdpipe.extractor.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.extractor.kingdee.KingdeeException;
import io.kdpipe.extractor.kingdee.RetryPolicy;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owned job on its own thread until stopped: takes over the job's transactional id (which
 * fences any previous owner and aborts its open transaction), reads the last committed checkpoint,
 * then extracts — snapshot pages first, then a poll every {@code pollInterval}.
 *
 * <p>Failures are classified: a Kingdee error that may pass (throttling, 5xx, timeouts) is retried
 * with growing pauses; a permanent one (refused login, unknown form, field or filter, a body that is
 * not Kingdee's) marks the job failing with the reason and waits {@code permanentErrorPause} before
 * trying again, so nothing loops hot; a Kafka error restarts the job from its committed checkpoint;
 * being fenced ends the worker, since another replica owns the job now.
 */
public final class JobWorker {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    /** Reads a job's last committed checkpoint ({@link CheckpointReader}); asked once per take-over. */
    @FunctionalInterface
    public interface Checkpoints {
        Optional<Checkpoint> latest(String jobId) throws InterruptedException;
    }

    /**
     * Builds the job's runner on a newly taken-over producer, resuming from {@code committed}; the
     * runner calls {@code onCommit} after each page's transaction committed. Closing the runner ends
     * its read-ahead.
     */
    @FunctionalInterface
    public interface Runners {
        JobRunner open(Producer<String, byte[]> producer, Checkpoint committed, Consumer<Checkpoint> onCommit);
    }

    /**
     * How a worker waits after failures.
     *
     * @param backoff             growing pauses after failures that may pass (Kingdee unavailable, Kafka errors)
     * @param permanentErrorPause pause after an error that will not pass by itself
     * @param callTimeout         timeout of one Kingdee call, part of how long a job may be quiet before it reports failing
     */
    public record Pacing(RetryPolicy backoff, Duration permanentErrorPause, Duration callTimeout) {
    }

    private final JobSpec spec;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Checkpoints checkpoints;
    private final Runners runners;
    private final Pacing pacing;
    private final ExtractorMetrics metrics;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile JobStatus status = JobStatus.starting();
    /** {@link System#nanoTime()} of the last successful step (a poll, a committed page) or of the start. */
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile Checkpoint committed;
    private Thread thread;

    /**
     * @param producers makes the job's transactional producer (its transactional id names the job), one per take-over
     */
    public JobWorker(JobSpec spec, Supplier<Producer<String, byte[]>> producers, Checkpoints checkpoints, Runners runners,
            Pacing pacing, ExtractorMetrics metrics, Clock clock) {
        this.spec = spec;
        this.producers = producers;
        this.checkpoints = checkpoints;
        this.runners = runners;
        this.pacing = pacing;
        this.metrics = metrics;
        this.clock = clock;
    }

    public JobSpec spec() {
        return spec;
    }

    /**
     * The job's state. A job that reports itself well but has made no step for longer than its poll
     * interval, one call's timeout and the longest backoff together is not: a call may hang.
     */
    public JobStatus status() {
        JobStatus s = status;
        if (!s.healthy() || !alive()) {
            return s;
        }
        Duration quiet = Duration.ofNanos(System.nanoTime() - lastProgressNanos);
        Duration limit = stallLimit();
        if (quiet.compareTo(limit) > 0) {
            return JobStatus.failing("no successful Kingdee call for " + quiet.toSeconds() + " s, longer than the poll interval, "
                    + "KINGDEE_TIMEOUT and KINGDEE_RETRY_MAX_BACKOFF together (" + limit.toSeconds() + " s): a call may hang or "
                    + "Kingdee may not answer; before that: " + s.detail());
        }
        return s;
    }

    private Duration stallLimit() {
        return spec.pollInterval().plus(pacing.callTimeout()).plus(pacing.backoff().maxBackoff());
    }

    /** The last error the job met (null when none since it started), and when. */
    public record LastError(String message, Instant at) {
    }

    public LastError lastError() {
        return lastError;
    }

    private volatile LastError lastError;

    private void failing(String detail) {
        status = JobStatus.failing(detail);
        lastError = new LastError(detail, clock.instant());
    }

    private void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /** The last checkpoint this worker committed or resumed from. */
    public Checkpoint committed() {
        return committed;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "extractor-job-" + spec.id());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the job and waits up to {@code timeout} for its thread to end. Safe to call twice. */
    public void stop(Duration timeout) {
        stop.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("Job {} did not stop within {}", spec.id(), timeout);
        }
    }

    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** Why the job's thread ended on a failure nobody expected, or null while it runs or after a clean end. */
    public String death() {
        return death;
    }

    private volatile String death;

    /**
     * The job's thread. A failure none of the handlers below expects (a bug, a JVM error) ends it;
     * it is recorded, so the job reports failing and the extractor is no longer live, rather than the
     * job going quiet behind a healthy process.
     */
    private void run() {
        try {
            runJob();
        } catch (RuntimeException | Error e) {
            death = describe(e);
            failing("the job's thread died: " + death);
            metrics.jobError(spec.id(), "died");
            log.error("Job {}: its thread died of an unexpected failure; the extractor is no longer live", spec.id(), e);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    private void runJob() {
        int kafkaFailures = 0;
        while (!stopping()) {
            Producer<String, byte[]> producer = null;
            KafkaClientMetrics producerMetrics = null;
            try {
                producer = producers.get();
                producerMetrics = new KafkaClientMetrics(producer);
                producerMetrics.bindTo(metrics.registry());
                producer.initTransactions();
                committed = checkpoints.latest(spec.id()).orElse(null);
                progressed();
                log.info("Job {} taken over; resuming from {}", spec.id(), describe(committed));
                extract(producer);
                kafkaFailures = 0;
            } catch (TransactionalPageSink.FencedException | ProducerFencedException | InvalidProducerEpochException e) {
                log.info("Job {} was taken over by another extractor; stopping here", spec.id());
                status = JobStatus.ok("handed over to another extractor");
                return;
            } catch (InterruptedException | InterruptException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                if (stopping()) {
                    return;
                }
                kafkaFailures++;
                metrics.jobError(spec.id(), "kafka");
                failing("Kafka: " + describe(e));
                log.warn("Job {}: Kafka failed ({}); restarting from the committed checkpoint", spec.id(), describe(e), e);
                try {
                    if (pause(pacing.backoff().backoff(kafkaFailures))) {
                        return;
                    }
                } catch (InterruptedException stopped) {
                    return;
                }
            } finally {
                if (producerMetrics != null) {
                    producerMetrics.close();
                }
                if (producer != null) {
                    try {
                        producer.close(Duration.ZERO);
                    } catch (RuntimeException e) {
                        log.debug("closing the producer of job {} failed: {}", spec.id(), e.toString());
                    }
                }
            }
        }
    }

    /** The job's steady loop on one producer; returns only when stopping. */
    private void extract(Producer<String, byte[]> producer) throws InterruptedException {
        try (JobRunner runner = runners.open(producer, committed, cp -> {
            committed = cp;
            progressed();
        })) {
            extract(runner);
        }
    }

    /** Runs the job's passes until stopping; the runner's read-ahead thread ends with the caller. */
    private void extract(JobRunner runner) throws InterruptedException {
        int transientFailures = 0;
        while (!stopping()) {
            Duration next = spec.pollInterval();
            try {
                runner.runOnce();
                progressed();
                transientFailures = 0;
                status = JobStatus.ok(describe(runner.state()));
            } catch (KingdeeException e) {
                metrics.jobError(spec.id(), e.kind().name().toLowerCase(Locale.ROOT));
                if (e.retryable()) {
                    transientFailures++;
                    next = pacing.backoff().backoff(transientFailures);
                    failing("Kingdee unavailable, retrying in " + human(next) + ": " + e.getMessage());
                    log.warn("Job {}: {}; trying again in {}", spec.id(), e.getMessage(), human(next));
                } else {
                    next = pacing.permanentErrorPause();
                    failing(e.getMessage());
                    log.error("Job {} cannot extract: {}. Trying again in {}; the watermark stays where it was.",
                            spec.id(), e.getMessage(), human(next));
                }
            } catch (IllegalArgumentException e) {
                // data the extractor cannot read (a row without FCUSTID, a malformed date): not a passing fault
                metrics.jobError(spec.id(), "unreadable_data");
                next = pacing.permanentErrorPause();
                failing("Kingdee returned data the extractor cannot read: " + e.getMessage());
                log.error("Job {}: Kingdee returned data the extractor cannot read: {}", spec.id(), e.getMessage());
            }
            if (pause(next)) {
                return;
            }
        }
    }

    /** Waits, returning true when asked to stop meanwhile. */
    private boolean pause(Duration d) throws InterruptedException {
        return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exception and what caused it: a commit's own message rarely names the cause. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.toString());
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(e);
        for (Throwable s : e.getSuppressed()) {
            out.append("; after ").append(s);
        }
        for (Throwable c = e.getCause(); c != null && seen.add(c); c = c.getCause()) {
            out.append("; caused by ").append(c);
        }
        return out.toString();
    }

    private static String human(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static String describe(Checkpoint cp) {
        if (cp == null) {
            return "nothing (first run: snapshot)";
        }
        if (!cp.snapshotComplete()) {
            return "snapshot after FCUSTID " + cp.resumeAfter() + " (" + cp.rowsPublished() + " rows so far)";
        }
        return "watermark " + cp.watermark() + " (" + cp.rowsPublished() + " rows so far)";
    }
}
