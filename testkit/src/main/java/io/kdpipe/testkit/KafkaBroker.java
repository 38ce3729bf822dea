package io.kdpipe.testkit;

import java.util.Map;

/** The broker an integration test talks to, however it was started. */
public interface KafkaBroker {

    String bootstrapServers();

    /** Client settings that reach this broker, for {@code Admin}, producers and consumers. */
    default Map<String, Object> clientConfig() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }
}
