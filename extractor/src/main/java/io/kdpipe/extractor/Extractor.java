package io.kdpipe.extractor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.job.KingdeeQuery;
import io.kdpipe.extractor.job.JobStatus;
import io.kdpipe.extractor.job.JobWorker;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.kingdee.KingdeeException;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.ownership.JobOwnership;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extractor, assembled by {@link ExtractorMain}: creates its topics, joins the job group and
 * runs the jobs it is given.
 */
public final class Extractor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Extractor.class);

    private final ExtractorConfig config;
    private final Admin admin;
    private final JobOwnership ownership;
    private final KingdeeQuery probe;
    private final ExtractorMetrics metrics;
    private boolean closed;

    /**
     * @param admin     creates the topics; closed with the extractor
     * @param ownership runs the jobs this replica is given
     * @param probe     the one-row query that checks the field keys at start-up
     */
    Extractor(ExtractorConfig config, Admin admin, JobOwnership ownership, KingdeeQuery probe, ExtractorMetrics metrics) {
        this.config = config;
        this.admin = admin;
        this.ownership = ownership;
        this.probe = probe;
        this.metrics = metrics;
        metrics.jobsConfigured(config.jobs().size());
    }

    /**
     * Checks the field keys (and form and filter) against Kingdee with a one-row query, creates
     * missing topics, then joins the job group. A query Kingdee rejects stops the start with its
     * message; a Kingdee that cannot be reached or refuses the login now does not (the jobs report
     * it and try again).
     */
    public Extractor start() {
        checkQuery();
        Topic<byte[], byte[]> jobs = jobsTopic();
        new TopicInitializer(admin, config.kafka().topicPrefix(), config.kafka().replicationFactor())
                .ensure(List.of(Topics.CUSTOMERS, Topics.CHECKPOINTS, Topics.ROWS_DLT, jobs));
        growJobsTopic(jobs.name(config.kafka().topicPrefix()), jobs.partitions());
        ownership.start();
        log.info("Extractor started with {} job(s): {}", config.jobs().size(),
                config.jobs().stream().map(JobSpec::id).collect(Collectors.joining(", ")));
        return this;
    }

    private void checkQuery() {
        JobSpec job = config.jobs().get(0);
        try {
            probe.execute(new BillQuery(job.formId(), job.fieldKeys(), job.filter(), "", 0, 1));
            log.info("Kingdee accepts the query of form {} with {} field keys", job.formId(), job.fieldKeys().size());
        } catch (KingdeeException e) {
            if (e.kind() == KingdeeException.Kind.QUERY_REJECTED) {
                throw new ConfigException(List.of("KINGDEE_FIELD_KEYS, KINGDEE_FORM_ID or KINGDEE_FILTER: Kingdee rejects a one-row query "
                        + "of form " + job.formId() + ": " + e.getMessage()));
            }
            log.warn("Could not check the field keys against Kingdee at start-up ({}); the jobs will report it", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the field keys against Kingdee", e);
        }
    }

    public ExtractorMetrics metrics() {
        return metrics;
    }

    /** Ids of the jobs this replica runs now. */
    public Set<String> ownedJobs() {
        return ownership.ownedJobs();
    }

    public Map<String, JobWorker> workers() {
        return ownership.workers();
    }

    /** Each owned job's state and its last error, for {@code /jobs}: job id → state, detail, lastError, lastErrorAt. */
    public Map<String, Map<String, Object>> jobsView() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        ownership.workers().forEach((id, worker) -> {
            JobStatus status = worker.status();
            JobWorker.LastError error = worker.lastError();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("state", status.healthy() ? "ok" : "failing");
            view.put("detail", status.detail());
            view.put("lastError", error == null ? null : error.message());
            view.put("lastErrorAt", error == null ? null : error.at().toString());
            out.put(id, view);
        });
        return out;
    }

    /** Ready when in the job group and no owned job is failing; otherwise names each reason. */
    public Health.Status readiness() {
        if (!ownership.polling()) {
            return Health.Status.down("not (yet) a member of the job group " + config.groupId());
        }
        Map<String, JobStatus> statuses = ownership.statuses();
        String failing = statuses.entrySet().stream().filter(e -> !e.getValue().healthy())
                .map(e -> e.getKey() + ": " + e.getValue().detail()).collect(Collectors.joining("; "));
        if (!failing.isEmpty()) {
            return Health.Status.down(failing);
        }
        return Health.Status.ok();
    }

    /** Whether the job group loop failed for good (the process should exit non-zero once stopped). */
    public boolean failed() {
        return ownership.failure() != null;
    }

    /** Live unless the job group loop or the thread of an owned job died; a restart is the cure then. */
    public Health.Status liveness() {
        String failure = ownership.failure();
        if (failure != null) {
            return Health.Status.down("the job group loop failed: " + failure);
        }
        String dead = ownership.workers().entrySet().stream().filter(e -> e.getValue().death() != null)
                .map(e -> "job " + e.getKey() + ": " + e.getValue().death()).sorted().collect(Collectors.joining("; "));
        return dead.isEmpty() ? Health.Status.ok() : Health.Status.down("a job's thread died: " + dead);
    }

    private Topic<byte[], byte[]> jobsTopic() {
        return Topics.jobs(config.jobs().size());
    }

    /** Jobs added to the configuration need partitions of their own. */
    private void growJobsTopic(String name, int wanted) {
        try {
            int now = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name).partitions().size();
            if (now < wanted) {
                admin.createPartitions(Map.of(name, NewPartitions.increaseTo(wanted))).all().get(30, TimeUnit.SECONDS);
                log.info("Grew {} from {} to {} partitions for {} jobs", name, now, wanted, wanted);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check the partitions of " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking " + name, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ownership.close();
        admin.close(Duration.ofSeconds(5));
    }
}
