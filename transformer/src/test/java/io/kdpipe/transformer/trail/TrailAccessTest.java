package io.kdpipe.transformer.trail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.runtime.HttpServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrailAccessTest {

    private static final HttpHandler TRAIL = ex -> {
        byte[] body = "{\"customerKeys\":[\"C1\"]}".getBytes();
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    };

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersOnlyWithTheToken() throws Exception {
        URI uri = serve(new TrailAccess(Optional.of(new Secret("s3cret-token")), TRAIL));

        assertThat(get(uri, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get(uri, "Bearer s3cret-tokeN");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.body()).doesNotContain("C1").doesNotContain("s3cret");
        assertThat(get(uri, "Basic s3cret-token").statusCode()).isEqualTo(401);

        HttpResponse<String> right = get(uri, "Bearer s3cret-token");
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("C1");
    }

    @Test
    void isOffWithoutAConfiguredToken() throws Exception {
        URI uri = serve(new TrailAccess(Optional.empty(), TRAIL));

        HttpResponse<String> r = get(uri, "Bearer anything");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("KDPIPE_TRAIL_TOKEN").doesNotContain("C1");
    }

    private URI serve(HttpHandler handler) throws Exception {
        server = HttpServers.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/trail", handler);
        server.start();
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/trail?customer=C1");
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
