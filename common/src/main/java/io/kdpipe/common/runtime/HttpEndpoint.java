package io.kdpipe.common.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A JDK HTTP server with its own daemon threads, as kdpipe runs them (service endpoints, sandboxes,
 * local pages): created through {@link HttpServers}, started once, and closed by stopping the server
 * and then its threads. {@link #respond} writes an answer with a body.
 */
public final class HttpEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        server.setExecutor(executor);
    }

    /**
     * A server bound to {@code address}, not yet started; {@code backlog} 0 means the system default.
     * It answers on {@code threads} daemon threads named {@code threadName}, or on as many as it needs
     * when {@code threads} is 0.
     */
    public static HttpEndpoint bind(InetSocketAddress address, int backlog, String threadName, int threads) throws IOException {
        HttpServer server = HttpServers.create(address, backlog);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, threads == 1 ? threadName : threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new HttpEndpoint(server, threads == 0 ? Executors.newCachedThreadPool(daemons)
                : Executors.newFixedThreadPool(threads, daemons));
    }

    /** Like {@link #bind}, with a failure to listen as an {@link UncheckedIOException} saying {@code what} failed. */
    public static HttpEndpoint bindOrFail(InetSocketAddress address, int backlog, String threadName, int threads, String what) {
        try {
            return bind(address, backlog, threadName, threads);
        } catch (IOException e) {
            throw new UncheckedIOException(what, e);
        }
    }

    /** Serves {@code handler} below {@code path}. */
    public HttpEndpoint route(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    public HttpEndpoint start() {
        server.start();
        return this;
    }

    /** The port it listens on (the one chosen when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops answering at once and ends its threads, waiting up to five seconds for them. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers {@code status} with {@code body} as UTF-8 text of the given content type. */
    public static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        respond(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers {@code status} with {@code body} of the given content type. */
    public static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
