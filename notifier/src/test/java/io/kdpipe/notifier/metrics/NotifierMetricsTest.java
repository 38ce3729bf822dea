package io.kdpipe.notifier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class NotifierMetricsTest {

    @Test
    void tokenAndPauseCountersExistAtZeroBeforeTheFirstFailure() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new NotifierMetrics(registry);

        assertThat(registry.scrape())
                .contains("kdpipe_notifier_token_refreshes_total{outcome=\"failed\"} 0.0")
                .contains("kdpipe_notifier_token_refreshes_total{outcome=\"ok\"} 0.0")
                .contains("kdpipe_notifier_global_pauses_total{reason=\"CREDENTIALS_REFUSED\"} 0.0")
                .contains("kdpipe_notifier_global_pauses_total{reason=\"IP_BAN\"} 0.0")
                .contains("kdpipe_notifier_global_pause_remaining_seconds 0.0")
                .contains("kdpipe_notifier_partitions_lost_total 0.0")
                .doesNotContain("reason=\"NONE\"");
    }

    @Test
    void thePauseGaugeCountsDownToTheLatestEnd() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NotifierMetrics metrics = new NotifierMetrics(registry);

        metrics.tokenRefreshed(false);
        metrics.globalPause("TEMPORARY_BAN", Instant.now().plus(Duration.ofMinutes(10)));
        metrics.globalPause("APP_RATE", Instant.now().plusSeconds(1));

        double remaining = registry.get("kdpipe.notifier.global.pause.remaining.seconds").gauge().value();
        assertThat(remaining).as("the later end stands").isBetween(590.0, 600.0);
        assertThat(registry.get("kdpipe.notifier.token.refreshes").tag("outcome", "failed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("kdpipe.notifier.global.pauses").tag("reason", "TEMPORARY_BAN").counter().count()).isEqualTo(1.0);

        metrics.globalPause("APP_RATE", Instant.now().minusSeconds(1));
        assertThat(registry.get("kdpipe.notifier.global.pause.remaining.seconds").gauge().value()).isGreaterThan(500.0);
    }

    @Test
    void aPauseThatEndedReadsZero() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NotifierMetrics metrics = new NotifierMetrics(registry);

        metrics.globalPause("IP_BAN", Instant.now().minusSeconds(5));

        assertThat(registry.get("kdpipe.notifier.global.pause.remaining.seconds").gauge().value()).isZero();
    }

    @Test
    void lostPartitionsAreCountedByPartition() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NotifierMetrics metrics = new NotifierMetrics(registry);

        metrics.partitionsLost(3);
        metrics.partitionsLost(1);

        assertThat(registry.get("kdpipe.notifier.partitions.lost").counter().count()).isEqualTo(4.0);
    }
}
