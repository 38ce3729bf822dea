package io.kdpipe.extractor;

import java.time.Clock;
import java.time.Duration;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.HttpEndpoint;
import io.kdpipe.common.runtime.ServiceMain;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.job.CheckpointReader;
import io.kdpipe.extractor.job.JobRunner;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.job.JobWorker;
import io.kdpipe.extractor.job.KingdeeQuery;
import io.kdpipe.extractor.job.PageFetcher;
import io.kdpipe.extractor.job.Prefetch;
import io.kdpipe.extractor.job.TransactionalPageSink;
import io.kdpipe.extractor.kingdee.KingdeeClient;
import io.kdpipe.extractor.kingdee.RetryPolicy;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.extractor.ownership.JobOwnership;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.ValueNormalizer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extractor's composition root: configuration from the environment, then every part built
 * here with {@code new} ({@link #extractor} for the replica, {@link #jobWorker} for each job it is
 * given), started, and closed in reverse order on SIGTERM.
 */
public final class ExtractorMain {

    private static final Logger log = LoggerFactory.getLogger(ExtractorMain.class);
    /** How long a job may take to stop when it moves to another replica or the extractor closes. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** How long reading a job's checkpoint may take. */
    private static final Duration CHECKPOINT_READ_TIMEOUT = Duration.ofMinutes(2);

    private ExtractorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("extractor", ExtractorConfig::read, config -> config.kafka().httpPort(),
                (config, runtime) -> start(config, runtime, Clock.systemUTC())::failed);
    }

    /** Starts the extractor with its own runtime, for hosts that run it in process; close the runtime to stop it. */
    public static ServiceRuntime start(ExtractorConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(ExtractorConfig)}, on {@code clock}. */
    public static ServiceRuntime start(ExtractorConfig config, Clock clock) {
        return ServiceMain.startInProcess("extractor", config.kafka().httpPort(), runtime -> start(config, runtime, clock));
    }

    /**
     * Starts the extractor on {@code runtime}: its health, metrics and {@code /jobs} page there.
     *
     * @throws ConfigException when Kingdee rejects the configured query
     */
    static Extractor start(ExtractorConfig config, ServiceRuntime runtime, Clock clock) {
        log.info("Starting with {}", config);
        config.warnings().forEach(w -> log.warn("{}", w));
        Extractor extractor = runtime.manage("extractor",
                extractor(config, KafkaClients.of(config), new ExtractorMetrics(runtime.registry()), clock));
        runtime.health().readiness("jobs", extractor::readiness);
        runtime.health().liveness("job-group", extractor::liveness);
        runtime.route("/jobs", exchange -> HttpEndpoint.respond(exchange, 200, "application/json; charset=utf-8",
                Json.mapper().writeValueAsBytes(extractor.jobsView())));
        return extractor.start();
    }

    /** The replica: topics, the job group, and a {@link #jobWorker} for each job the group gives it. */
    static Extractor extractor(ExtractorConfig config, KafkaClients clients, ExtractorMetrics metrics, Clock clock) {
        Admin admin = clients.admin();
        String prefix = config.kafka().topicPrefix();
        CheckpointReader checkpoints = new CheckpointReader(admin, clients::checkpointConsumer, Topics.CHECKPOINTS.name(prefix),
                CHECKPOINT_READ_TIMEOUT);
        JobOwnership ownership = new JobOwnership(config.jobs(), Topics.jobs(config.jobs().size()).name(prefix),
                clients.groupConsumer(), spec -> jobWorker(spec, config, clients, checkpoints, metrics, clock), metrics, STOP_TIMEOUT);
        KingdeeClient probe = new KingdeeClient(config.site(), new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), metrics);
        return new Extractor(config, admin, ownership, probe::executeBillQuery, metrics);
    }

    /**
     * The per-job factory: one job's Kingdee client, row folding and page reader, and, each time
     * the worker takes the job over, its transactional producer, page sink, read-ahead and runner.
     */
    static JobWorker jobWorker(JobSpec spec, ExtractorConfig config, KafkaClients clients, JobWorker.Checkpoints checkpoints,
            ExtractorMetrics metrics, Clock clock) {
        String prefix = config.kafka().topicPrefix();
        KingdeeClient client = new KingdeeClient(config.site(), config.retry(), metrics);
        KingdeeQuery kingdee = query -> {
            metrics.jobQuery(spec.id());
            return client.executeBillQuery(query);
        };
        RowFolder folder = new RowFolder(spec.fieldKeys(), spec.entryFieldKeys(), spec.dateFieldKeys(), new ValueNormalizer(config.zone()));
        PageFetcher fetcher = new PageFetcher(spec, kingdee, folder);
        JobWorker.Runners runners = (producer, committed, onCommit) -> new JobRunner(spec, kingdee, fetcher,
                new TransactionalPageSink(producer, Topics.CUSTOMERS.name(prefix), Topics.CHECKPOINTS.name(prefix),
                        Topics.ROWS_DLT.name(prefix)).then(onCommit),
                clock, config.zone(), metrics, committed, Prefetch.background("extractor-prefetch-" + spec.id()));
        return new JobWorker(spec, () -> clients.producer(config.transactionalIdPrefix() + "-" + spec.id()), checkpoints, runners,
                new JobWorker.Pacing(config.retry(), config.permanentErrorPause(), config.site().timeout()), metrics, clock);
    }
}
