package io.kdpipe.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

    private static final String SECRET_VALUE = "s3cr3t-Value-42";

    /** A config record of the shape every service has: plain settings and a secret. */
    record SampleConfig(KafkaConfig kafka, int batch, Duration interval, Secret appSecret) {
        static SampleConfig read(ConfigSource source) {
            ConfigReader r = new ConfigReader(source);
            KafkaConfig kafka = KafkaConfig.read(r);
            int batch = r.integer("SAMPLE_BATCH", 100, 1, 1000, "rows per batch");
            Duration interval = r.duration("SAMPLE_INTERVAL", Duration.ofSeconds(30), "poll interval");
            Secret secret = r.secret("SAMPLE_APP_SECRET", "the app secret");
            r.validate();
            return new SampleConfig(kafka, batch, interval, secret);
        }
    }

    @Test
    void shouldNameEveryProblemInOneError() {
        Map<String, String> env = Map.of(
                "SAMPLE_BATCH", "lots",
                "SAMPLE_INTERVAL", "-5",
                "SAMPLE_APP_SECRET", SECRET_VALUE,
                "KDPIPE_HTTP_PORT", "70000");

        assertThatThrownBy(() -> SampleConfig.read(ConfigSource.of(env)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS: is required")
                .hasMessageContaining("SAMPLE_BATCH: 'lots' is not a whole number")
                .hasMessageContaining("SAMPLE_INTERVAL: '-5' is not a duration")
                .hasMessageContaining("KDPIPE_HTTP_PORT: 70000 is out of range")
                .message().doesNotContain(SECRET_VALUE);
    }

    @Test
    void shouldNameAMissingSecretWithoutShowingValues() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "SAMPLE_BATCH", "0",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"" + SECRET_VALUE + "\";");

        assertThatThrownBy(() -> SampleConfig.read(ConfigSource.of(env)))
                .hasMessageContaining("SAMPLE_APP_SECRET: is required")
                .hasMessageContaining("SAMPLE_BATCH: 0 is out of range [1, 1000]")
                .message().doesNotContain(SECRET_VALUE);
    }

    @Test
    void shouldMaskSecretsInToString() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "SAMPLE_APP_SECRET", SECRET_VALUE,
                "KAFKA_SASL_JAAS_CONFIG", "PlainLoginModule required password=\"" + SECRET_VALUE + "\";",
                "KAFKA_SSL_KEY_PASSWORD", SECRET_VALUE);

        SampleConfig config = SampleConfig.read(ConfigSource.of(env));

        assertThat(config.toString()).doesNotContain(SECRET_VALUE).contains("broker:9092");
        assertThat(config.appSecret().reveal()).isEqualTo(SECRET_VALUE);
        assertThat(config.kafka().clientSettings()).containsEntry("ssl.key.password", SECRET_VALUE);
    }

    @Test
    void shouldPassKafkaVariablesThroughToClients() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_MAX_POLL_RECORDS", "50", "SAMPLE_APP_SECRET", "x");

        KafkaConfig kafka = SampleConfig.read(ConfigSource.of(env)).kafka();

        assertThat(kafka.clientProperties())
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("max.poll.records", "50");
    }

    @Test
    void shouldMakeClientsWithoutJmxBeansUnlessAReporterIsNamed() throws Exception {
        KafkaConfig plain = SampleConfig.read(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1", "SAMPLE_APP_SECRET", "x"))).kafka();
        KafkaConfig jmx = SampleConfig.read(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1", "SAMPLE_APP_SECRET", "x",
                "KAFKA_METRIC_REPORTERS", JmxReporter.class.getName()))).kafka();

        assertThat(producerBeans(plain, "config-test-plain")).isEmpty();
        assertThat(producerBeans(jmx, "config-test-jmx")).isNotEmpty();
    }

    /** The JMX beans of a producer made from {@code kafka}'s client properties, while it is open. */
    private static Set<ObjectName> producerBeans(KafkaConfig kafka, String clientId) throws Exception {
        Map<String, Object> p = kafka.clientProperties();
        p.put("client.id", clientId);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kafka.producer:client-id=" + clientId + ",*"), null);
        }
    }

    @Test
    void shouldGiveTransactionalProducersOneRequestInFlightUnlessTold() {
        KafkaConfig plain = SampleConfig.read(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "SAMPLE_APP_SECRET", "x"))).kafka();
        KafkaConfig told = SampleConfig.read(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "SAMPLE_APP_SECRET", "x",
                "KAFKA_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION", "5"))).kafka();

        assertThat(KafkaConfig.transactional(plain.clientProperties(), "tx-1"))
                .containsEntry("transactional.id", "tx-1")
                .containsEntry("max.in.flight.requests.per.connection", 1);
        assertThat(KafkaConfig.transactional(told.clientProperties(), "tx-1"))
                .containsEntry("max.in.flight.requests.per.connection", "5");
    }

    @Test
    void shouldReadSecretsFromFilesAndSettingsFromAPropertiesFile(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET_VALUE + "\n");
        Path jaasFile = Files.writeString(dir.resolve("jaas"), "jaas-" + SECRET_VALUE);
        Path props = Files.writeString(dir.resolve("kdpipe.properties"), "KAFKA_BOOTSTRAP_SERVERS=file:9092\nSAMPLE_BATCH=7\n");
        Map<String, String> env = Map.of(
                ConfigSource.CONFIG_FILE, props.toString(),
                "SAMPLE_BATCH", "9",
                "SAMPLE_APP_SECRET_FILE", secretFile.toString(),
                "KAFKA_SASL_JAAS_CONFIG_FILE", jaasFile.toString());

        SampleConfig config = SampleConfig.read(ConfigSource.of(env));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("file:9092");
        assertThat(config.batch()).as("the environment wins over the file").isEqualTo(9);
        assertThat(config.appSecret().reveal()).isEqualTo(SECRET_VALUE);
        assertThat(config.kafka().clientSettings()).containsEntry("sasl.jaas.config", "jaas-" + SECRET_VALUE);
        assertThat(config.toString()).doesNotContain(SECRET_VALUE);
    }

    @Test
    void shouldReportAnUnreadableSecretFile() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "SAMPLE_APP_SECRET_FILE", "/no/such/file");

        assertThatThrownBy(() -> SampleConfig.read(ConfigSource.of(env)))
                .hasMessageContaining("SAMPLE_APP_SECRET_FILE: cannot read /no/such/file")
                .hasMessageContaining("SAMPLE_APP_SECRET: is required");
    }

    @Test
    void shouldParseDurationsInBothForms() {
        assertThat(ConfigReader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigReader.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigReader.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigReader.parseDuration("soon")).isNull();
    }
}
