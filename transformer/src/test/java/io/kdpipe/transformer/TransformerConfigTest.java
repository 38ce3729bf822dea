package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TransformerConfigTest {

    private static TransformerConfig read(Map<String, String> env) {
        return TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
    }

    @Test
    void shouldReadDefaults() {
        TransformerConfig c = read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(c.applicationId()).isEqualTo("kdpipe-transformer");
        assertThat(c.watchedFields()).contains("FName", "FSELLER_FNumber");
        assertThat(c.notifySnapshot()).isFalse();
        assertThat(c.format()).isEqualTo(NoticeFormat.MARKDOWN);
        assertThat(c.digest().enabled()).isTrue();
        assertThat(c.digest().window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.digest().threshold()).isEqualTo(1);
        assertThat(c.digest().maxItems()).isEqualTo(100);
        assertThat(c.routing().fallbackList().isEmpty()).isTrue();
        assertThat(c.routing().route(Notice.Kind.CHANGED))
                .containsExactly(RoutingPolicy.Target.SALESPERSON, RoutingPolicy.Target.PREVIOUS_SALESPERSON);
        assertThat(c.routing().fallback()).containsExactly(RoutingPolicy.Step.DEPARTMENT_MANAGER, RoutingPolicy.Step.LIST);
    }

    @Test
    void shouldRunOneStreamThreadPerCpuTheJvmSeesUnlessTold() {
        TransformerConfig byDefault = read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(byDefault.streamThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(TransformerTopology.streamsProperties(byDefault, new TransformerMetrics(new SimpleMeterRegistry()))
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KDPIPE_STREAM_THREADS", "3")).streamThreads()).isEqualTo(3);

        ConfigReader reader = new ConfigReader(ConfigSource.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")));
        TransformerConfig.read(reader);
        assertThat(reader.documented()).filteredOn(d -> d.key().equals("KDPIPE_STREAM_THREADS"))
                .extracting(ConfigReader.Documented::defaultValue)
                .as("the reference names the rule, not this machine's count").containsExactly("CPUs the JVM sees");
    }

    @Test
    void shouldGiveTheProducersOneRequestInFlightAndLargeBatchesUnlessTold() {
        String inFlight = StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        String batch = StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);
        var byDefault = properties(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(byDefault.get(inFlight)).isEqualTo(1);
        assertThat(byDefault.get(batch)).isEqualTo(256 * 1024);

        var told = properties(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_BATCH_SIZE", "65536",
                "KAFKA_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION", "5"));
        assertThat(told.get(batch)).as("a plain batch.size reaches every client as it is").isNull();
        assertThat(told.get(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo("65536");
        assertThat(told.get(inFlight)).isNull();
        assertThat(properties(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_PRODUCER_BATCH_SIZE", "32768")).get(batch))
                .isEqualTo("32768");
    }

    private static java.util.Properties properties(Map<String, String> env) {
        return TransformerTopology.streamsProperties(read(env), new TransformerMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void shouldReadRecipientsAndDigestSettings() {
        TransformerConfig c = read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "KDPIPE_RECIPIENTS_APPROVED", "finance01, dept:900",
                "KDPIPE_RECIPIENTS_FALLBACK", "admin01",
                "KDPIPE_DIGEST_WINDOW", "2m",
                "KDPIPE_DIGEST_THRESHOLD", "10",
                "KDPIPE_WATCHED_FIELDS", "FName,FTEL"));
        assertThat(c.routing().fixed(Notice.Kind.APPROVED).userIds()).containsExactly("finance01");
        assertThat(c.routing().fixed(Notice.Kind.APPROVED).deptIds()).containsExactly("900");
        assertThat(c.routing().fallbackList().userIds()).containsExactly("admin01");
        assertThat(c.digest().window()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.digest().threshold()).isEqualTo(10);
        assertThat(c.watchedFields()).containsExactly("FName", "FTEL");
    }

    @Test
    void shouldRefuseBadConfigNamingEveryProblem() {
        assertThatThrownBy(() -> read(Map.of(
                "KDPIPE_TRANSFORMER_APPLICATION_ID", "bad id!",
                "KDPIPE_NOTIFY_SNAPSHOT", "maybe",
                "KDPIPE_NOTICE_FORMAT", "html",
                "KDPIPE_TEMPLATES_DIR", "/no/such/dir",
                "KDPIPE_RECIPIENTS_FALLBACK", "dept:abc",
                "KDPIPE_ROUTE_CHANGED", "salesperson,boss",
                "KDPIPE_ROUTE_FALLBACK", "department,salesperson",
                "KDPIPE_DIGEST_WINDOW", "soon",
                "KDPIPE_DIGEST_THRESHOLD", "-1")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .hasSize(10)
                        .anySatisfy(p -> assertThat(p).startsWith("KAFKA_BOOTSTRAP_SERVERS: is required"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_TRANSFORMER_APPLICATION_ID:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_NOTIFY_SNAPSHOT:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_NOTICE_FORMAT:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_TEMPLATES_DIR:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_RECIPIENTS_FALLBACK:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_ROUTE_CHANGED: 'boss' is not one of"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_ROUTE_FALLBACK: 'salesperson' is not one of"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_DIGEST_WINDOW:"))
                        .anySatisfy(p -> assertThat(p).startsWith("KDPIPE_DIGEST_THRESHOLD:")));
    }
}
