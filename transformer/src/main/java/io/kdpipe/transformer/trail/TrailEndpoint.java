package io.kdpipe.transformer.trail;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.HttpEndpoint;
import io.kdpipe.common.trail.Trail;
import io.kdpipe.common.trail.TrailSettings;
import io.kdpipe.common.trail.TrailSources;
import io.kdpipe.common.trail.TrailStory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /trail?customer=FNUMBER[&org=ORG][&limit=N][&days=D]} or {@code GET /trail?notice=ID}: the trail
 * as JSON ({@link Trail#json()}). 400 for a bad query, 404 when the trail knows no such customer or
 * notice, 503 when Kafka cannot be read, 429 while another trail is being read (one at a time, so
 * reads never take all of the HTTP threads that also answer {@code /health} and {@code /metrics}). Any instance answers for any customer: the trail is read
 * from Kafka, not from the instance's own state; {@code ownedByThisInstance} says whether this
 * instance is the one processing the customer's rows.
 */
public final class TrailEndpoint implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(TrailEndpoint.class);

    private final Function<TrailStory.Query, TrailSources> sources;
    private final TrailStory story;
    private final TrailSettings settings;
    private final Predicate<String> ownsCustomerKey;
    private final Semaphore reading = new Semaphore(1);

    /**
     * @param sources          reads the trail's topics
     * @param ownsCustomerKey  whether this instance holds the active task for a customer key; reported
     *                         as {@code ownedByThisInstance}, for diagnosis (the answer does not depend on it)
     */
    public TrailEndpoint(Function<TrailStory.Query, TrailSources> sources, TrailSettings settings, ZoneId zone, Clock clock,
            Predicate<String> ownsCustomerKey) {
        this.sources = sources;
        this.ownsCustomerKey = ownsCustomerKey;
        this.story = new TrailStory(zone, clock);
        this.settings = settings;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, error("use GET"));
                return;
            }
            Map<String, String> params = params(ex.getRequestURI().getRawQuery());
            String customer = params.get("customer");
            String notice = params.get("notice");
            if ((customer == null) == (notice == null)) {
                respond(ex, 400, error("give exactly one of customer=FNUMBER or notice=ID"));
                return;
            }
            int limit = positive(params, "limit", settings.maxEvents());
            int days = positive(params, "days", (int) settings.window().toDays());
            if (limit < 1 || days < 1) {
                respond(ex, 400, error("limit and days must be positive numbers"));
                return;
            }
            TrailStory.Query query = new TrailStory.Query(customer, params.get("org"), notice, limit, Duration.ofDays(days));
            if (!reading.tryAcquire()) {
                respond(ex, 429, error("another trail is being read; try again in a moment"));
                return;
            }
            Optional<Trail> trail;
            try {
                trail = story.build(sources.apply(query), query);
            } catch (RuntimeException e) {
                log.warn("Cannot read the trail for {}: {}", query.describe(), e.toString());
                respond(ex, 503, error("cannot read Kafka: " + e.getMessage()));
                return;
            } finally {
                reading.release();
            }
            if (trail.isEmpty()) {
                respond(ex, 404, error("the trail knows no " + query.describe()));
                return;
            }
            ObjectNode body = trail.get().json();
            body.put("ownedByThisInstance", trail.get().customerKeys().stream().anyMatch(ownsCustomerKey));
            respond(ex, 200, body);
        }
    }

    /** The parameter's value, its default when absent, or -1 when it is not a positive number. */
    private static int positive(Map<String, String> params, String name, int defaultValue) {
        if (!params.containsKey(name)) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(params.get(name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ObjectNode error(String message) {
        return Json.mapper().createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange ex, int status, ObjectNode body) throws IOException {
        HttpEndpoint.respond(ex, status, "application/json; charset=utf-8", Json.mapper().writeValueAsBytes(body));
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isBlank()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!v.isBlank()) {
                out.put(k, v);
            }
        }
        return out;
    }
}
