package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The label checks MetricsScrapeIT relies on find what is missing and pass what is there. */
class MetricNamesTest {

    private static final String SCRAPE = """
            # HELP kdpipe_extractor_kingdee_calls_total Kingdee WebAPI calls by outcome
            # TYPE kdpipe_extractor_kingdee_calls_total counter
            kdpipe_extractor_kingdee_calls_total{api="ExecuteBillQuery",outcome="ok",service="extractor"} 3.0
            kdpipe_extractor_last_success_timestamp_seconds{job="acct.BD_Customer.all",service="extractor"} 1.7E9
            """;

    @Test
    void readsEachSamplesLabels() {
        Map<String, Set<String>> labels = MetricNames.labelsInScrape(SCRAPE);
        assertThat(labels).containsEntry("kdpipe_extractor_kingdee_calls_total", Set.of("api", "outcome", "service"))
                .containsEntry("kdpipe_extractor_last_success_timestamp_seconds", Set.of("job", "service"));
        assertThat(MetricNames.samples(SCRAPE)).hasSize(2).allSatisfy(s -> assertThat(s).containsEntry("service", "extractor"));
    }

    @Test
    void findsLabelsTheQueriedMetricsDoNotCarry() {
        Map<String, Set<String>> labels = MetricNames.labelsInScrape(SCRAPE);
        assertThat(MetricNames.missingLabels(
                "sum by (api, outcome) (rate(kdpipe_extractor_kingdee_calls_total{namespace=~\"$ns\",outcome!=\"ok\"}[5m]))", labels))
                .isEmpty();
        assertThat(MetricNames.missingLabels(
                "time() - max by (namespace, exported_job) (kdpipe_extractor_last_success_timestamp_seconds)", labels)).isEmpty();
        assertThat(MetricNames.missingLabels("sum by (service) (rate(kdpipe_extractor_kingdee_calls_total{api=\"x\"}[5m]))", labels))
                .isEmpty();
        assertThat(MetricNames.missingLabels("sum by (method) (rate(kdpipe_extractor_kingdee_calls_total[5m]))", labels))
                .singleElement().asString().contains("method");
        assertThat(MetricNames.missingLabels("rate(kdpipe_extractor_kingdee_calls_total{kind=\"a=b\"}[5m])", labels))
                .singleElement().asString().contains("no label kind");
    }
}
