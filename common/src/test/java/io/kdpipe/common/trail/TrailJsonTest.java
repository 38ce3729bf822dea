package io.kdpipe.common.trail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.kdpipe.common.contract.Json;
import org.junit.jupiter.api.Test;

/** The trail's JSON, as {@code kdpipe trail --json} prints it and {@code /trail} answers it (docs/trail.md). */
class TrailJsonTest {

    @Test
    void shouldWriteTheStoryWithItsFieldsInTheDocumentedOrder() throws Exception {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        Trail trail = new Trail("customer C1", List.of("A:1"), "delivered", List.of(
                new Trail.Entry(t, "row", "A:1", null, "changed: FName"),
                new Trail.Entry(t.plusMillis(1500), "delivered", "A:1", "n-1", "delivered to 张伟")), 2);

        assertThat(Json.mapper().writeValueAsString(trail.json())).isEqualTo("{\"query\":\"customer C1\",\"customerKeys\":[\"A:1\"],"
                + "\"conclusion\":\"delivered\",\"omitted\":2,\"events\":["
                + "{\"at\":\"2026-11-28T02:00:00Z\",\"type\":\"row\",\"customerKey\":\"A:1\",\"noticeId\":null,\"text\":\"changed: FName\"},"
                + "{\"at\":\"2026-11-28T02:00:01.500Z\",\"type\":\"delivered\",\"customerKey\":\"A:1\",\"noticeId\":\"n-1\","
                + "\"text\":\"delivered to 张伟\"}]}");
    }
}
