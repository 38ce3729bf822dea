package io.kdpipe.extractor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.kdpipe.common.contract.CustomerRow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ExtractorMetricsTest {

    @Test
    void shouldExportEveryMetricUnderTheExtractorPrefix() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ExtractorMetrics metrics = new ExtractorMetrics(registry);
        metrics.rowsExtracted("j1", CustomerRow.Phase.SNAPSHOT, 7);
        metrics.kingdeeCall("ExecuteBillQuery", "ok", Duration.ofMillis(40));
        metrics.kingdeeCall("ExecuteBillQuery", "msg_code_9", Duration.ofMillis(10));
        metrics.login("password", "ok");
        metrics.jobError("j1", "query_rejected");
        metrics.watermarkLag("j1", 42);
        metrics.lastSuccess("j1", Instant.ofEpochSecond(1_700_000_000L));
        metrics.jobsOwned(2);
        metrics.jobsConfigured(3);
        metrics.jobStarted("j1", Instant.ofEpochSecond(1_600_000_000L));
        metrics.jobStarted("j2", Instant.ofEpochSecond(1_600_000_000L));
        metrics.jobStopped("j2");
        metrics.jobQuery("j1");
        metrics.jobQuery("j1");
        metrics.jobQuery("j2");

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("kdpipe_extractor_rows_extracted_total{job=\"j1\",phase=\"SNAPSHOT\"} 7.0")
                .contains("kdpipe_extractor_kingdee_calls_total{api=\"ExecuteBillQuery\",outcome=\"msg_code_9\"} 1.0")
                .contains("kdpipe_extractor_kingdee_call_seconds_bucket{api=\"ExecuteBillQuery\"")
                .contains("kdpipe_extractor_logins_total{mode=\"password\",outcome=\"ok\"} 1.0")
                .contains("kdpipe_extractor_job_errors_total{job=\"j1\",kind=\"query_rejected\"} 1.0")
                .contains("kdpipe_extractor_watermark_lag_seconds{job=\"j1\"} 42.0")
                .contains("kdpipe_extractor_last_success_timestamp_seconds{job=\"j1\"} 1.7E9")
                .contains("kdpipe_extractor_jobs_owned 2.0")
                .contains("kdpipe_extractor_jobs_configured 3.0")
                .contains("kdpipe_extractor_job_queries_total{job=\"j1\"} 2.0")
                .contains("kdpipe_extractor_job_queries_total{job=\"j2\"} 1.0")
                .contains("kdpipe_extractor_job_started_timestamp_seconds{job=\"j1\"} 1.6E9")
                .doesNotContain("kdpipe_extractor_job_started_timestamp_seconds{job=\"j2\"}");
    }
}
