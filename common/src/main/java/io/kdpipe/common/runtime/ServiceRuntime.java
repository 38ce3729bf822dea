package io.kdpipe.common.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kdpipe.common.contract.Json;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service shares at run time: a Prometheus registry with JVM and process metrics, one
 * HTTP port serving {@code /metrics}, {@code /health/live} and {@code /health/ready}, and an
 * ordered shutdown that closes what the service registered in reverse order, once.
 */
public final class ServiceRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

    private final String service;
    private final int requestedPort;
    private final PrometheusMeterRegistry registry;
    private final Health health = new Health();
    private final CloseOrder resources = new CloseOrder();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private HttpEndpoint server;
    private boolean closed;

    public ServiceRuntime(String service, int port) {
        this.service = service;
        this.requestedPort = port;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public String service() {
        return service;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Health health() {
        return health;
    }

    /** Registers something to close on shutdown; later registrations close first. */
    public <T extends AutoCloseable> T manage(String name, T resource) {
        return resources.add(name, resource);
    }

    /**
     * Serves {@code handler} under {@code path} on the same port as {@code /metrics}, from
     * {@link #start()} on (at once when already started).
     */
    public synchronized ServiceRuntime route(String path, HttpHandler handler) {
        routes.put(path, handler);
        if (server != null) {
            server.route(path, handler);
        }
        return this;
    }

    /** Starts the HTTP endpoint. */
    public synchronized ServiceRuntime start() {
        server = HttpEndpoint.bindOrFail(new InetSocketAddress(requestedPort), 0, service + "-http", 2,
                "Cannot listen on port " + requestedPort + " for /metrics and /health");
        server.route("/metrics", ex -> HttpEndpoint.respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.route("/health/live", ex -> probe(ex, health.live()));
        server.route("/health/ready", ex -> probe(ex, health.ready()));
        routes.forEach(server::route);
        server.route("/", ex -> HttpEndpoint.respond(ex, 404, "text/plain; charset=utf-8", "not found: try /metrics, /health/live, /health/ready\n"));
        server.start();
        log.info("{} serves /metrics and /health on port {}", service, port());
        return this;
    }

    public int port() {
        return server == null ? requestedPort : server.port();
    }

    /** Stops the service on SIGTERM or Ctrl-C. */
    public ServiceRuntime installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, service + "-shutdown"));
        return this;
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("{} stopping", service);
        resources.closeAll();
        if (server != null) {
            server.close();
        }
        gcMetrics.close();
        registry.close();
        stopped.countDown();
        log.info("{} stopped", service);
    }

    private static void probe(HttpExchange ex, Health.Report report) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.up() ? "UP" : "DOWN");
        Map<String, Object> checks = new LinkedHashMap<>();
        report.checks().forEach((name, s) -> checks.put(name, Map.of("status", s.up() ? "UP" : "DOWN", "detail", s.detail())));
        body.put("checks", checks);
        String json;
        try {
            json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            json = "{\"status\":\"" + (report.up() ? "UP" : "DOWN") + "\"}";
        }
        HttpEndpoint.respond(ex, report.up() ? 200 : 503, "application/json; charset=utf-8", json + "\n");
    }
}
