package io.kdpipe.extractor.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.kdpipe.common.contract.CustomerRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The extractor's business metrics, all named {@code kdpipe_extractor_*} in Prometheus:
 * <ul>
 *   <li>{@code kdpipe_extractor_rows_extracted_total{job,phase}}: customers published</li>
 *   <li>{@code kdpipe_extractor_kingdee_calls_total{api,outcome}}: calls by answer ({@code ok},
 *       {@code session_lost}, {@code throttled}, {@code msg_code_N}, {@code http_N},
 *       {@code bad_response}, {@code timeout_or_io}, {@code login_refused})</li>
 *   <li>{@code kdpipe_extractor_kingdee_call_seconds{api}}: call latency histogram</li>
 *   <li>{@code kdpipe_extractor_logins_total{mode,outcome}}</li>
 *   <li>{@code kdpipe_extractor_job_errors_total{job,kind}}: failed job steps</li>
 *   <li>{@code kdpipe_extractor_watermark_lag_seconds{job}}: now minus the job's watermark</li>
 *   <li>{@code kdpipe_extractor_last_success_timestamp_seconds{job}}: last successful poll</li>
 *   <li>{@code kdpipe_extractor_job_started_timestamp_seconds{job}}: when this replica took the job
 *       over; present only while it runs the job, so a job that has not succeeded since can be told
 *       from one that succeeded before</li>
 *   <li>{@code kdpipe_extractor_jobs_owned}: jobs this replica runs now</li>
 *   <li>{@code kdpipe_extractor_jobs_configured}: jobs the configuration defines; the sum of
 *       {@code jobs_owned} over the replicas below it means a job has no owner</li>
 *   <li>{@code kdpipe_extractor_lookback_rows_total{job}}: rows the look-back for late commits read
 *       ({@code FCUSTID} and {@code FModifyDate} only)</li>
 *   <li>{@code kdpipe_extractor_late_versions_total{job}}: versions the look-back found and published</li>
 *   <li>{@code kdpipe_extractor_job_queries_total{job}}: {@code ExecuteBillQuery} queries a job sent
 *       (pages, its first {@code FModifyDate} read, look-backs; a retried query counts once); a job's
 *       queries run one after the other, so its count times Kingdee's time per query is the least time
 *       its snapshot can take</li>
 * </ul>
 * The Kingdee API is the {@code api} tag: {@code service} is the common tag naming the kdpipe service.
 */
public final class ExtractorMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lagSeconds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Gauge> started = new ConcurrentHashMap<>();
    private final AtomicLong jobsOwned = new AtomicLong();
    private final AtomicLong jobsConfigured = new AtomicLong();

    public ExtractorMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("kdpipe.extractor.jobs.owned", jobsOwned, AtomicLong::get)
                .description("extraction jobs this replica owns now").strongReference(true).register(registry);
        Gauge.builder("kdpipe.extractor.jobs.configured", jobsConfigured, AtomicLong::get)
                .description("extraction jobs the configuration defines").strongReference(true).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void rowsExtracted(String job, CustomerRow.Phase phase, int count) {
        Counter.builder("kdpipe.extractor.rows.extracted").description("customer rows published")
                .tag("job", job).tag("phase", phase.name()).register(registry).increment(count);
    }

    public void kingdeeCall(String api, String outcome, Duration latency) {
        Counter.builder("kdpipe.extractor.kingdee.calls").description("Kingdee WebAPI calls by outcome")
                .tag("api", api).tag("outcome", outcome).register(registry).increment();
        Timer.builder("kdpipe.extractor.kingdee.call").description("Kingdee WebAPI call latency")
                .tag("api", api).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(latency);
    }

    public void jobQuery(String job) {
        Counter.builder("kdpipe.extractor.job.queries").description("ExecuteBillQuery queries a job sent (a retried query counts once)")
                .tag("job", job).register(registry).increment();
    }

    public void lookBackRows(String job, int count) {
        Counter.builder("kdpipe.extractor.lookback.rows").description("rows read by the look-back for late commits (key and date only)")
                .tag("job", job).register(registry).increment(count);
    }

    public void lateVersions(String job, int count) {
        Counter.builder("kdpipe.extractor.late.versions").description("versions the look-back found unpublished and published")
                .tag("job", job).register(registry).increment(count);
    }

    /** Customers dead-lettered to the rows dead-letter topic because a value cannot be read; count 0 registers the series. */
    public void deadLetters(String job, String reason, int count) {
        Counter.builder("kdpipe.extractor.dead.letters").description("customers dead-lettered because their key or date cannot be read")
                .tag("job", job).tag("reason", reason).register(registry).increment(count);
    }

    public void login(String mode, String outcome) {
        Counter.builder("kdpipe.extractor.logins").description("Kingdee logins")
                .tag("mode", mode).tag("outcome", outcome).register(registry).increment();
    }

    public void jobError(String job, String kind) {
        Counter.builder("kdpipe.extractor.job.errors").description("job steps that failed, by kind")
                .tag("job", job).tag("kind", kind).register(registry).increment();
    }

    public void watermarkLag(String job, long seconds) {
        jobGauge(lagSeconds, job, "kdpipe.extractor.watermark.lag.seconds", "seconds between now and the job's FModifyDate watermark")
                .set(seconds);
    }

    public void lastSuccess(String job, Instant at) {
        jobGauge(lastSuccess, job, "kdpipe.extractor.last.success.timestamp.seconds", "Unix time of the job's last successful poll")
                .set(at.getEpochSecond());
    }

    /** The value behind a per-job gauge, registered on first use. */
    private AtomicLong jobGauge(Map<String, AtomicLong> gauges, String job, String name, String description) {
        return gauges.computeIfAbsent(job, j -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).description(description).tag("job", j).strongReference(true).register(registry);
            return v;
        });
    }

    public void jobsOwned(int count) {
        jobsOwned.set(count);
    }

    public void jobsConfigured(int count) {
        jobsConfigured.set(count);
    }

    /** This replica took {@code job} over at {@code at}. */
    public void jobStarted(String job, Instant at) {
        long seconds = at.getEpochSecond();
        jobStopped(job);
        started.put(job, Gauge.builder("kdpipe.extractor.job.started.timestamp.seconds", () -> seconds)
                .description("Unix time this replica took the job over").tag("job", job).register(registry));
    }

    /** This replica gave {@code job} up: its start time goes away with it. */
    public void jobStopped(String job) {
        Gauge g = started.remove(job);
        if (g != null) {
            registry.remove(g);
        }
    }

    /** The sum of a counter over all its tag values that match {@code tags} (pairs of key, value). */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
