package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.runtime.ServiceMain;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.ExtractorConfig;
import io.kdpipe.extractor.ExtractorMain;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerMain;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in one JVM (three services, both sandboxes, the embedded broker): customers
 * flow to DingTalk, one unreadable row and one unreadable notice are dead-lettered, and then every
 * metric name the alert rules and the dashboards query must be in some service's {@code /metrics},
 * with every label the query selects or groups by. A rule or panel that queries a metric or a label
 * nobody exports fails here, and so does a metric that overwrites its service's {@code service} label.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MetricsScrapeIT {

    private static final int CUSTOMERS = 6;
    private static final String RECIPIENT = "user-0001";

    private final KafkaBroker broker;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String prefix = TestNames.topicPrefix();

    MetricsScrapeIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void everyMetricTheRulesAndDashboardsQueryIsExported(@TempDir Path stateDir) throws Exception {
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(CUSTOMERS));
                DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                        .users(DingTalkSandboxOptions.numberedUsers(2)).build());
                ServiceRuntime notifier = startNotifier(dingTalk);
                ServiceRuntime transformer = startTransformer(stateDir);
                ServiceRuntime extractor = ExtractorMain.start(ExtractorConfig.from(extractorEnv(kingdee)))) {

            poison(Topics.CUSTOMERS.name(prefix));
            poison(Topics.NOTICES.name(prefix));

            Map<String, ServiceRuntime> services = new LinkedHashMap<>();
            services.put("extractor", extractor);
            services.put("transformer", transformer);
            services.put("notifier", notifier);

            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                assertThat(dingTalk.inbox(RECIPIENT)).hasSizeGreaterThanOrEqualTo(CUSTOMERS);
                assertThat(scrape(notifier)).contains("kdpipe_notifier_dead_letters_total{reason=");
                assertThat(scrape(transformer)).contains("kdpipe_transformer_dead_letters_total{");
                assertThat(scrape(extractor)).as("one series per job and reason from the job's start")
                        .contains("kdpipe_extractor_dead_letters_total{");
            });

            // freshness has samples once notices are delivered: the histogram's count moved
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(notifier))
                    .containsPattern("kdpipe_notifier_freshness_seconds_count\\{[^}]*\\} [1-9]"));

            Map<String, Set<String>> exported = new TreeMap<>();
            Map<String, Set<String>> labels = new TreeMap<>();
            for (var e : services.entrySet()) {
                String text = scrape(e.getValue());
                Files.writeString(Path.of("target", "scrape-" + e.getKey() + ".txt"), text, StandardCharsets.UTF_8);
                MetricNames.inScrape(text).forEach(name -> exported.computeIfAbsent(name, n -> new TreeSet<>()).add(e.getKey()));
                MetricNames.labelsInScrape(text).forEach((name, names) -> labels.computeIfAbsent(name, n -> new TreeSet<>()).addAll(names));
                // every sample keeps the common tag naming its own service (nothing overwrites it)
                List<Map<String, String>> samples = MetricNames.samples(text);
                assertThat(samples).as("%s exports samples", e.getKey()).isNotEmpty();
                assertThat(samples.stream().filter(sample -> !e.getKey().equals(sample.get("service"))).map(sample -> sample.get("__name__") + sample)
                        .limit(5).toList()).as("%s samples whose service label is not %s", e.getKey(), e.getKey()).isEmpty();
            }
            assertThat(labels.get("kdpipe_extractor_kingdee_calls_total")).as("the Kingdee API is the api label")
                    .contains("api", "outcome", "service");

            Map<String, Set<String>> queried = new TreeMap<>();
            for (Path rules : DeployFiles.ruleFiles()) {
                queried.put(DeployFiles.DEPLOY.relativize(rules).toString(), MetricNames.inRules(rules));
            }
            for (Path dashboard : DeployFiles.dashboards()) {
                queried.put(DeployFiles.DEPLOY.relativize(dashboard).toString(), MetricNames.inDashboard(dashboard));
            }
            assertThat(queried).as("rule files and dashboards").isNotEmpty();
            queried.forEach((file, names) -> {
                assertThat(names).as("metrics queried in %s", file).isNotEmpty();
                Set<String> missing = new TreeSet<>(names);
                missing.removeAll(exported.keySet());
                assertThat(missing).as("metrics %s queries that no service exports (scrapes in deploy/target/scrape-*.txt)", file)
                        .isEmpty();
            });
            List<String> labelProblems = new ArrayList<>();
            List<Path> files = new ArrayList<>(DeployFiles.ruleFiles());
            files.addAll(DeployFiles.dashboards());
            int checked = 0;
            for (Path file : files) {
                for (String query : MetricNames.queries(file)) {
                    checked++;
                    MetricNames.missingLabels(query, labels).forEach(p -> labelProblems.add(DeployFiles.DEPLOY.relativize(file) + ": " + p));
                }
            }
            assertThat(checked).as("queries checked for labels").isGreaterThan(40);
            assertThat(labelProblems).as("labels the rules and dashboards use that the queried metrics do not carry").isEmpty();
        }
    }

    private ServiceRuntime startNotifier(DingTalkSandbox dingTalk) {
        Map<String, String> env = new HashMap<>(kafkaEnv());
        env.putAll(dingTalk.serviceSettings());
        env.put("DINGTALK_RATE_PER_SECOND", String.valueOf(dingTalk.options().qps()));
        env.put("NOTIFIER_GROUP_ID", TestNames.unique("notifier"));
        env.put("NOTIFIER_TRANSACTIONAL_ID", TestNames.unique("notifier-tx"));
        return NotifierMain.start(NotifierConfig.read(new ConfigReader(ConfigSource.of(env))));
    }

    private ServiceRuntime startTransformer(Path stateDir) {
        Map<String, String> env = new HashMap<>(kafkaEnv());
        env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", TestNames.unique("transformer"));
        env.put("KDPIPE_STATE_DIR", stateDir.toString());
        env.put("KDPIPE_NOTIFY_SNAPSHOT", "true");
        env.put("KDPIPE_DIGEST_ENABLED", "false");
        env.put("KDPIPE_RECIPIENTS_FALLBACK", RECIPIENT);
        // short transactions keep the test quick
        env.put("KAFKA_COMMIT_INTERVAL_MS", "100");
        TransformerConfig config = TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
        return ServiceMain.startInProcess("transformer", 0, runtime -> TransformerMain.start(config, runtime));
    }

    private Map<String, String> extractorEnv(KingdeeSandbox kingdee) {
        Map<String, String> env = new HashMap<>(kafkaEnv());
        env.putAll(kingdee.serviceSettings());
        env.put("KDPIPE_EXTRACTOR_POLL_INTERVAL", "500ms");
        env.put("KDPIPE_EXTRACTOR_GROUP_ID", TestNames.unique("extractor"));
        env.put("KDPIPE_EXTRACTOR_TRANSACTIONAL_ID_PREFIX", TestNames.unique("extractor-tx"));
        return env;
    }

    private Map<String, String> kafkaEnv() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KDPIPE_TOPIC_PREFIX", prefix, "KDPIPE_HTTP_PORT", "0");
    }

    /** One record no service can read, so the dead-letter paths run and their metrics exist. */
    private void poison(String topic) throws Exception {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private String scrape(ServiceRuntime runtime) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + runtime.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
