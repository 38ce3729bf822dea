package io.kdpipe.common.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceRuntimeIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceRuntime runtime;

    @BeforeEach
    void start() {
        runtime = new ServiceRuntime("it-service", 0).start();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void shouldServeJvmMetricsInPrometheusFormat() throws Exception {
        runtime.registry().counter("kdpipe_test_events").increment(3);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_threads_live_threads{")
                .contains("process_cpu_usage{")
                .contains("service=\"it-service\"")
                .contains("kdpipe_test_events_total{service=\"it-service\"} 3.0");
    }

    @Test
    void shouldTurnNotReadyWhileACheckFailsAndNameIt() throws Exception {
        AtomicBoolean kingdeeUp = new AtomicBoolean(true);
        runtime.health().readiness("kafka", Health.Status::ok);
        runtime.health().readiness("kingdee", () -> kingdeeUp.get() ? Health.Status.ok() : Health.Status.down("login refused: wrong password"));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        kingdeeUp.set(false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> down = get("/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"kingdee\"").contains("login refused: wrong password").contains("\"DOWN\"");
        });
        assertThat(get("/health/live").statusCode()).as("not ready is still alive").isEqualTo(200);

        kingdeeUp.set(true);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("/health/ready").statusCode()).isEqualTo(200));
    }

    @Test
    void shouldCloseResourcesInReverseOrderOnce() {
        StringBuilder order = new StringBuilder();
        runtime.manage("first", () -> order.append("1"));
        runtime.manage("second", () -> order.append("2"));
        runtime.manage("failing", () -> {
            order.append("f");
            throw new IllegalStateException("boom");
        });

        runtime.close();
        runtime.close();

        assertThat(order).hasToString("f21");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
