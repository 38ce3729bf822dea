package io.kdpipe.transformer.trail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kdpipe.common.config.Secret;

/**
 * Guards {@code /trail}: the trail names customers and salespeople, and it is served on the port
 * Prometheus and the kubelet reach. A request passes only with {@code Authorization: Bearer <token>}
 * equal to {@code KDPIPE_TRAIL_TOKEN}; without a configured token the endpoint is off (403). 401
 * for a missing or wrong token. The token is compared in constant time and never written anywhere.
 */
public final class TrailAccess implements HttpHandler {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;
    private final HttpHandler endpoint;

    public TrailAccess(Optional<Secret> token, HttpHandler endpoint) {
        this.token = token.map(t -> t.reveal().getBytes(StandardCharsets.UTF_8));
        this.endpoint = endpoint;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (token.isEmpty()) {
            refuse(ex, 403, "the trail endpoint is off: set KDPIPE_TRAIL_TOKEN to serve it, or use `kdpipe trail`");
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith(BEARER)
                ? header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(token.get(), given)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kdpipe-trail\"");
            refuse(ex, 401, "send Authorization: Bearer <KDPIPE_TRAIL_TOKEN>");
            return;
        }
        endpoint.handle(ex);
    }

    private static void refuse(HttpExchange ex, int status, String message) throws IOException {
        try (ex) {
            byte[] body = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
