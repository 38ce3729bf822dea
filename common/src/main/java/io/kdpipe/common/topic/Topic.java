package io.kdpipe.common.topic;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic declared once: its default name, serdes, partition count and topic settings. Topic
 * creation, the services, the tests and the Kubernetes topic resources all read the same
 * declaration.
 *
 * @param baseName    the name without the deployment's prefix, e.g. {@code kingdee.customers.v1}
 * @param partitions  partitions to create it with
 * @param config      topic-level settings that differ from the broker's defaults
 */
public record Topic<K, V>(String baseName, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> config) {

    public Topic {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + baseName);
        }
        config = Map.copyOf(config);
    }

    /** The name in a deployment whose topics all start with {@code prefix} (may be empty). */
    public String name(String prefix) {
        return prefix + baseName;
    }
}
