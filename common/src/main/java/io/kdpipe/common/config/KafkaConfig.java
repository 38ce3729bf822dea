package io.kdpipe.common.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings every service shares: how to reach Kafka, which topics, which HTTP port.
 *
 * @param bootstrapServers   {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param topicPrefix        {@code KDPIPE_TOPIC_PREFIX}, put before every declared topic name
 * @param replicationFactor  {@code KDPIPE_TOPIC_REPLICATION_FACTOR} for topics kdpipe creates; -1 = broker default
 * @param httpPort           {@code KDPIPE_HTTP_PORT} for /metrics and /health; 0 picks a free port
 * @param clientSettings     every {@code KAFKA_*} variable as a client property, bootstrap included
 */
public record KafkaConfig(
        String bootstrapServers,
        String topicPrefix,
        short replicationFactor,
        int httpPort,
        Map<String, String> clientSettings) {

    private static final String METRIC_REPORTERS = "metric.reporters";
    private static final String[] SECRET_WORDS = {"password", "secret", "jaas", "token", "key"};

    public KafkaConfig {
        clientSettings = Map.copyOf(clientSettings);
    }

    public static KafkaConfig read(ConfigReader r) {
        String bootstrap = r.required("KAFKA_BOOTSTRAP_SERVERS", "Kafka bootstrap servers, host:port[,host:port]");
        String prefix = r.string("KDPIPE_TOPIC_PREFIX", "", "prefix put before every topic name, e.g. 'prod.'");
        int rf = r.integer("KDPIPE_TOPIC_REPLICATION_FACTOR", -1, -1, 32,
                "replication factor of topics kdpipe creates; -1 takes the broker default");
        int port = r.integer("KDPIPE_HTTP_PORT", 8080, 0, 65535, "port serving /metrics, /health/live and /health/ready");
        Map<String, String> clients = new TreeMap<>(r.source().kafkaSettings());
        if (bootstrap != null) {
            clients.put("bootstrap.servers", bootstrap);
        }
        return new KafkaConfig(bootstrap, prefix, (short) rf, port, clients);
    }

    /**
     * Client properties for a producer, consumer, admin or Streams app, ready to extend. Without
     * {@code KAFKA_METRIC_REPORTERS}, no metrics reporter: the clients' metrics reach {@code /metrics} through
     * Micrometer's binders, which read each client's own registry, and Kafka's default reporter would also
     * register a JMX MBean per metric for every client made (each extractor job's producer, for one).
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>(clientSettings);
        properties.putIfAbsent(METRIC_REPORTERS, "");
        return properties;
    }

    /**
     * {@code properties} set up for the transactional producer {@code transactionalId}: one request in
     * flight, unless {@code KAFKA_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION} says otherwise. With transactions
     * v2 (the default on Kafka 4 brokers) the producer's epoch is bumped at every commit, so each
     * transaction starts every partition at sequence 0, and a broker with no state yet for the new epoch
     * refuses a second batch that arrives before the first was appended (KAFKA-18202): a retriable
     * {@code OutOfOrderSequenceException}, logged by the broker as an error, retried by the producer
     * after a back-off. One request in flight keeps the batches in order. Returns {@code properties}.
     */
    public static Map<String, Object> transactional(Map<String, Object> properties, String transactionalId) {
        properties.put("transactional.id", transactionalId);
        properties.putIfAbsent("max.in.flight.requests.per.connection", 1);
        return properties;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        clientSettings.forEach((k, v) -> shown.put(k, isSecret(k) ? "******" : v));
        return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                + ", replicationFactor=" + replicationFactor + ", httpPort=" + httpPort + ", clientSettings=" + shown + "]";
    }

    static boolean isSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (p.contains(word) && !p.endsWith(".type") && !p.endsWith(".location") && !p.contains("serializer")
                    && !p.endsWith(".algorithm")) {
                return true;
            }
        }
        return false;
    }
}
