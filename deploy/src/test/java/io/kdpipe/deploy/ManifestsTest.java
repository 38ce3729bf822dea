package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.ExtractorConfig;
import io.kdpipe.extractor.ExtractorTopics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.transformer.TransformerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Renders every overlay with {@code kubectl kustomize} and checks the result against the code: the
 * settings each Deployment passes are keys its service reads (and every required key is there),
 * topics match their declarations, scaling never exceeds the partitions, and every container is
 * probed, limited and unprivileged.
 */
class ManifestsTest {

    static final List<String> OVERLAYS = DeployFiles.OVERLAYS;

    /** The JVM's launcher options: the one variable a manifest may set that is not a kdpipe setting. */
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS");
    private static final String SECRETS_MOUNT = "/etc/kdpipe/secrets/";

    private static final Map<String, Function<ConfigReader, Object>> READERS = Map.of(
            "extractor", ExtractorConfig::read,
            "transformer", TransformerConfig::read,
            "notifier", NotifierConfig::read);

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rendersEveryResourceOfEachService(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : DeployFiles.SERVICES) {
            r.one("Deployment", service);
            r.one("Service", service);
            JsonNode pdb = r.one("PodDisruptionBudget", service);
            assertThat(pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo(service);
        }
        assertThat(r.ofKind("PodMonitor")).hasSize(1);
        JsonNode monitor = r.ofKind("PodMonitor").get(0);
        for (JsonNode d : r.ofKind("Deployment")) {
            JsonNode podLabels = d.at("/spec/template/metadata/labels");
            monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
                    assertThat(podLabels.path(e.getKey()).asText()).as("%s pods carry the PodMonitor's label %s", name(d), e.getKey())
                            .isEqualTo(e.getValue().asText()));
        }
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(r.documents).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText())
                .as("%s %s has a namespace", d.path("kind").asText(), name(d)).isNotEmpty());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyContainerIsProbedLimitedAndUnprivileged(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (JsonNode d : r.ofKind("Deployment")) {
            JsonNode pod = d.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s runAsNonRoot", name(d)).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as("%s runAsUser", name(d)).isPositive();
            Set<String> emptyDirs = new TreeSet<>();
            pod.path("volumes").forEach(v -> {
                if (v.has("emptyDir")) {
                    emptyDirs.add(v.path("name").asText());
                }
            });
            for (JsonNode c : pod.path("containers")) {
                String what = overlay + "/" + name(d) + "/" + c.path("name").asText();
                assertThat(c.at("/livenessProbe/httpGet/path").asText()).as("%s liveness", what).isEqualTo("/health/live");
                assertThat(c.at("/readinessProbe/httpGet/path").asText()).as("%s readiness", what).isEqualTo("/health/ready");
                for (String kind : List.of("requests", "limits")) {
                    assertThat(c.at("/resources/" + kind + "/cpu").asText()).as("%s cpu %s", what, kind).isNotEmpty();
                    assertThat(c.at("/resources/" + kind + "/memory").asText()).as("%s memory %s", what, kind).isNotEmpty();
                }
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("%s readOnlyRootFilesystem", what).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", what).isFalse();
                assertThat(sc.at("/capabilities/drop").toString()).as("%s drops capabilities", what).contains("\"ALL\"");
                assertThat(sc.path("runAsUser").asInt(1)).as("%s runAsUser", what).isPositive();
                Map<String, String> mounts = new HashMap<>();
                c.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
                assertThat(emptyDirs).as("%s has a writable /tmp", what).contains(mounts.get("/tmp"));
                String stateDir = environment(r, c).get("KDPIPE_STATE_DIR");
                if (stateDir != null) {
                    assertThat(emptyDirs).as("%s has a writable KDPIPE_STATE_DIR %s", what, stateDir).contains(mounts.get(stateDir));
                }
                assertThat(c.at("/ports/0/containerPort").asInt()).as("%s port", what)
                        .isEqualTo(Integer.parseInt(environment(r, c).getOrDefault("KDPIPE_HTTP_PORT", "8080")));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everySettingIsAKeyTheServiceReadsAndNoRequiredKeyIsMissing(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        for (String service : DeployFiles.SERVICES) {
            JsonNode container = r.one("Deployment", service).at("/spec/template/spec/containers/0");
            Map<String, String> env = environment(r, container);
            Set<String> secretKeys = secretKeys(r.one("Deployment", service));

            // a *_FILE setting that names a mounted Secret key stands for that key: give the reader a stand-in value
            Map<String, String> readable = new TreeMap<>(env);
            env.forEach((key, value) -> {
                if (key.endsWith("_FILE") && value.startsWith(SECRETS_MOUNT)) {
                    String secretKey = value.substring(SECRETS_MOUNT.length());
                    assertThat(secretKeys).as("%s/%s: %s names a key of a mounted Secret's example file", overlay, service, key)
                            .contains(secretKey);
                    assertThat(secretKey).as("%s/%s: %s names its own key", overlay, service, key).isEqualTo(key.substring(0, key.length() - 5));
                    readable.remove(key);
                    readable.put(secretKey, "stand-in");
                }
            });
            ConfigReader reader = new ConfigReader(ConfigSource.of(readable));
            try {
                READERS.get(service).apply(reader);
            } catch (ConfigException e) {
                throw new AssertionError(overlay + "/" + service + ": the manifest's settings are refused: " + e.problems(), e);
            }
            Set<String> known = reader.documented().stream().map(ConfigReader.Documented::key).collect(Collectors.toSet());
            Set<String> unknown = new TreeSet<>();
            for (String key : env.keySet()) {
                String base = key.endsWith("_FILE") ? key.substring(0, key.length() - 5) : key;
                if (!known.contains(key) && !known.contains(base) && !key.startsWith("KAFKA_") && !JVM_VARIABLES.contains(key)) {
                    unknown.add(key);
                }
            }
            assertThat(unknown).as("%s/%s: settings the service does not read", overlay, service).isEmpty();
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void secretExamplesHoldKeysButNoValues(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        for (JsonNode d : r.ofKind("Deployment")) {
            for (JsonNode v : d.at("/spec/template/spec/volumes")) {
                if (v.has("secret")) {
                    Path example = DeployFiles.K8S.resolve("secrets").resolve(v.at("/secret/secretName").asText() + ".example.env");
                    assertThat(example).as("example of Secret %s", v.at("/secret/secretName").asText()).exists();
                    for (String line : Files.readAllLines(example)) {
                        if (!line.isBlank() && !line.startsWith("#")) {
                            assertThat(line).as("%s commits no value", example.getFileName()).matches("[A-Z0-9_]+=");
                        }
                    }
                }
            }
        }
        assertThat(r.ofKind("Secret")).as("no Secret is rendered (values are never committed)").isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaTopicsAreTheTopicsDeclaredInCode(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        Map<String, String> kafka = r.configMap(configMapName(r, "extractor", "kdpipe-kafka"));
        String prefix = kafka.getOrDefault("KDPIPE_TOPIC_PREFIX", "");
        ExtractorConfig extractor = ExtractorConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "extractor"))));

        Map<String, Topic<?, ?>> declared = new TreeMap<>();
        Topics.ALL.forEach(t -> declared.put(t.name(prefix), t));
        Topic<?, ?> jobs = ExtractorTopics.jobs(extractor.jobs().size());
        declared.put(jobs.name(prefix), jobs);

        Map<String, JsonNode> resources = new TreeMap<>();
        r.ofKind("KafkaTopic").forEach(t -> resources.put(t.at("/spec/topicName").asText(), t));
        assertThat(resources.keySet()).as("KafkaTopic names in %s", overlay).isEqualTo(declared.keySet());
        declared.forEach((name, topic) -> {
            JsonNode spec = resources.get(name).path("spec");
            assertThat(spec.path("partitions").asInt()).as("%s partitions", name).isEqualTo(topic.partitions());
            Map<String, String> config = new TreeMap<>();
            spec.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertThat(config).as("%s settings", name).isEqualTo(new TreeMap<>(topic.config()));
            int rf = Integer.parseInt(kafka.getOrDefault("KDPIPE_TOPIC_REPLICATION_FACTOR", "-1"));
            if (rf > 0) {
                assertThat(spec.path("replicas").asInt()).as("%s replicas match KDPIPE_TOPIC_REPLICATION_FACTOR", name).isEqualTo(rf);
            }
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void scalingFollowsConsumerLagWithinThePartitions(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        String prefix = r.configMap(configMapName(r, "transformer", "kdpipe-kafka")).getOrDefault("KDPIPE_TOPIC_PREFIX", "");
        TransformerConfig transformer = TransformerConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "transformer"))));
        NotifierConfig notifier = NotifierConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "notifier"))));
        Map<String, List<String>> expected = Map.of(
                "transformer", List.of(transformer.applicationId(), Topics.CUSTOMERS.name(prefix)),
                "notifier", List.of(notifier.groupId(), Topics.NOTICES.name(prefix)));
        assertThat(r.ofKind("ScaledObject")).hasSize(2);
        for (JsonNode so : r.ofKind("ScaledObject")) {
            String target = so.at("/spec/scaleTargetRef/name").asText();
            r.one("Deployment", target);
            assertThat(so.at("/spec/maxReplicaCount").asInt()).as("%s maxReplicaCount", target)
                    .isBetween(1, Topics.PIPELINE_PARTITIONS);
            JsonNode trigger = so.at("/spec/triggers/0");
            assertThat(trigger.path("type").asText()).isEqualTo("kafka");
            assertThat(List.of(trigger.at("/metadata/consumerGroup").asText(), trigger.at("/metadata/topic").asText()))
                    .as("%s scales on its own group's lag on its input topic", target).isEqualTo(expected.get(target));
            assertThat(trigger.at("/metadata/bootstrapServers").asText()).as("%s trigger's brokers", target)
                    .isEqualTo(r.configMap(configMapName(r, target, "kdpipe-kafka")).get("KAFKA_BOOTSTRAP_SERVERS"));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void egressGoesOnlyToDnsKafkaAndHttps(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        Set<Integer> allowed = Set.of(53, 9092, 9093, 443);
        for (JsonNode policy : r.ofKind("NetworkPolicy")) {
            for (JsonNode rule : policy.at("/spec/egress")) {
                assertThat(rule.path("ports").isEmpty()).as("%s: an egress rule without ports allows every port", name(policy)).isFalse();
                rule.path("ports").forEach(p -> assertThat(allowed).as("%s egress port", name(policy)).contains(p.path("port").asInt()));
                assertThat(rule.path("to").isEmpty()).as("%s: an egress rule without peers allows every address", name(policy)).isFalse();
            }
        }
        for (JsonNode d : r.ofKind("Deployment")) {
            JsonNode labels = d.at("/spec/template/metadata/labels");
            boolean isolated = r.ofKind("NetworkPolicy").stream().anyMatch(p -> p.at("/spec/policyTypes").toString().contains("Egress")
                    && matches(p.at("/spec/podSelector/matchLabels"), labels));
            assertThat(isolated).as("%s's egress is restricted by a NetworkPolicy", name(d)).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void hpaFallbackStaysWithinThePartitions() throws Exception {
        Path file = DeployFiles.K8S.resolve("examples/hpa-fallback.yaml");
        List<JsonNode> hpas = new java.util.ArrayList<>();
        try (var it = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            it.forEachRemaining(hpas::add);
        }
        assertThat(hpas).extracting(h -> h.at("/spec/scaleTargetRef/name").asText()).containsExactlyInAnyOrder("transformer", "notifier");
        assertThat(hpas).allSatisfy(h -> assertThat(h.at("/spec/maxReplicas").asInt()).isBetween(1, Topics.PIPELINE_PARTITIONS));
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        Map<String, String> want = new HashMap<>();
        selector.fields().forEachRemaining(e -> want.put(e.getKey(), e.getValue().asText()));
        return want.entrySet().stream().allMatch(e -> e.getValue().equals(labels.path(e.getKey()).asText()));
    }

    /** The container's environment: its ConfigMaps (envFrom, in order), then its own variables. */
    static Map<String, String> environment(Rendered r, JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            assertThat(from.has("secretRef")).as("credentials are mounted as files, not passed through envFrom").isFalse();
            env.putAll(r.configMap(from.at("/configMapRef/name").asText()));
        }
        for (JsonNode e : container.path("env")) {
            assertThat(e.has("valueFrom") && e.path("valueFrom").has("secretKeyRef"))
                    .as("%s: credentials are mounted as files, not passed as variables", e.path("name").asText()).isFalse();
            env.put(e.path("name").asText(), e.path("value").asText());
        }
        return env;
    }

    private static Map<String, String> withStandIns(Rendered r, String service) {
        Map<String, String> env = new TreeMap<>(environment(r, r.one("Deployment", service).at("/spec/template/spec/containers/0")));
        new TreeMap<>(env).forEach((key, value) -> {
            if (key.endsWith("_FILE") && value.startsWith(SECRETS_MOUNT)) {
                env.remove(key);
                env.put(key.substring(0, key.length() - 5), "stand-in");
            }
        });
        return env;
    }

    /** The keys of every Secret the Deployment mounts, from the Secrets' example files. */
    private static Set<String> secretKeys(JsonNode deployment) throws Exception {
        Set<String> keys = new TreeSet<>();
        for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
            if (v.has("secret")) {
                Path example = DeployFiles.K8S.resolve("secrets").resolve(v.at("/secret/secretName").asText() + ".example.env");
                for (String line : Files.readAllLines(example)) {
                    if (!line.isBlank() && !line.startsWith("#") && line.contains("=")) {
                        keys.add(line.substring(0, line.indexOf('=')));
                    }
                }
            }
        }
        return keys;
    }

    private static String configMapName(Rendered r, String service, String generatorName) {
        for (JsonNode from : r.one("Deployment", service).at("/spec/template/spec/containers/0/envFrom")) {
            String name = from.at("/configMapRef/name").asText();
            if (name.equals(generatorName) || name.startsWith(generatorName + "-") && !name.substring(generatorName.length() + 1).contains("-")) {
                return name;
            }
        }
        throw new AssertionError(service + " does not use ConfigMap " + generatorName);
    }

    private static String name(JsonNode resource) {
        return resource.at("/metadata/name").asText();
    }
}
