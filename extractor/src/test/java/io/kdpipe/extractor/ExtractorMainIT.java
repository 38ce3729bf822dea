package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ExtractorMainIT {

    private final KafkaBroker broker;
    private final HttpClient http = HttpClient.newHttpClient();

    ExtractorMainIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldServeReadinessAndMetricsFromTheCompositionRoot() throws Exception {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(50)));
                ServiceRuntime runtime = ExtractorMain.start(f.config())) {
            f.awaitSnapshots(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> get(runtime, "/health/ready").statusCode() == 200);
            String metrics = get(runtime, "/metrics").body();
            assertThat(metrics).contains("kdpipe_extractor_rows_extracted_total{job=\"5867f8d847e804.BD_Customer.all\",phase=\"SNAPSHOT\",service=\"extractor\"} 50.0")
                    .contains("kdpipe_extractor_logins_total").contains("kdpipe_extractor_kingdee_call_seconds_bucket")
                    .contains("kafka_producer_record_send_total").contains("kafka_consumer_coordinator_assigned_partitions")
                    .doesNotContain(f.kingdee.options().password());

            f.kingdee.faults().always(KingdeeFaults.msgCode(9, "元数据中标识为FX的字段不存在"));
            await().atMost(Duration.ofSeconds(10)).until(() -> get(runtime, "/health/ready").statusCode() == 503);
            assertThat(get(runtime, "/health/ready").body()).contains("元数据中标识为FX的字段不存在");
            String jobs = get(runtime, "/jobs").body();
            assertThat(jobs).contains("\"5867f8d847e804.BD_Customer.all\"", "\"state\":\"failing\"", "元数据中标识为FX的字段不存在",
                    "\"lastErrorAt\"");
        }
    }

    private HttpResponse<String> get(ServiceRuntime runtime, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
