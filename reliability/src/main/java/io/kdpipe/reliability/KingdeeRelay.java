package io.kdpipe.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A relay between the extractor and the Kingdee sandbox that counts the faults the extractor really
 * got. The Kingdee sandbox counts calls and logins but not the faults it served, so every fault the
 * run queues carries a marker ({@link #marker(int)}) in its body, and the relay records each marker
 * it passes on, each answer saying the session is lost, and each call the sandbox left unanswered
 * longer than {@code hangAfter} (a hung response).
 */
final class KingdeeRelay implements AutoCloseable {

    private static final Pattern MARKER = Pattern.compile("chaos-fault-(\\d+)");
    /** What the sandbox answers a call whose session it lost (Kingdee's own wording). */
    private static final String SESSION_LOST = "会话信息已丢失";
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");

    private final URI target;
    private final Duration hangAfter;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kingdee-relay");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, AtomicLong> markers = new ConcurrentHashMap<>();
    private final List<Instant> sessionLost = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong hung = new AtomicLong();

    private KingdeeRelay(URI target, Duration hangAfter) throws IOException {
        this.target = target;
        this.hangAfter = hangAfter;
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::relay);
    }

    /** Relays to {@code target} (the sandbox's base URL); a call unanswered for {@code hangAfter} counts as hung. */
    static KingdeeRelay start(URI target, Duration hangAfter) {
        try {
            KingdeeRelay relay = new KingdeeRelay(target, hangAfter);
            relay.server.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text a fault's body carries so the relay can tell it passed. */
    static String marker(int id) {
        return "chaos-fault-" + id;
    }

    /** The relay's URL for the sandbox's {@code base} URL: same path, the relay's port. */
    URI baseUrl() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + target.getRawPath());
    }

    /** How many answers carried marker {@code id}. */
    long seen(int id) {
        AtomicLong n = markers.get(id);
        return n == null ? 0 : n.get();
    }

    /** Answers that said the session was lost, when they passed. */
    List<Instant> sessionLost() {
        synchronized (sessionLost) {
            return List.copyOf(sessionLost);
        }
    }

    /** Calls the sandbox left unanswered for longer than the hang time. */
    long hung() {
        return hung.get();
    }

    private void relay(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI to = URI.create(target.getScheme() + "://" + target.getRawAuthority() + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(to).timeout(hangAfter)
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                hung.incrementAndGet();
                answer(ex, 504, Map.of(), new byte[0]);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String text = new String(response.body(), StandardCharsets.UTF_8);
            Matcher m = MARKER.matcher(text);
            while (m.find()) {
                markers.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new AtomicLong()).incrementAndGet();
            }
            if (text.contains(SESSION_LOST)) {
                sessionLost.add(Instant.now());
            }
            answer(ex, response.statusCode(), response.headers().map(), response.body());
        }
    }

    private static void answer(HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body) {
        try {
            headers.forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":") && !name.equalsIgnoreCase("date")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the extractor stopped waiting (its own timeout); nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
