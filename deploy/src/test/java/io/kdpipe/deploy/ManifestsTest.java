package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.ExtractorConfig;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.transformer.TransformerConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;
import org.opentest4j.TestAbortedException;

/**
 * Renders every overlay with {@code kubectl kustomize} and checks the result against the code: the
 * settings each Deployment passes are keys its service reads (and every required key is there),
 * topics match their declarations, scaling never exceeds the partitions, and every container is
 * probed, limited and unprivileged.
 */
class ManifestsTest {

    /** The JVM's launcher options: the one variable a manifest may set that is not a kdpipe setting. */
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS");
    /** The variables the services' logging configuration (common's logback.xml) reads, e.g. KDPIPE_LOG_FORMAT. */
    static final Set<String> LOGGING_VARIABLES = loggingVariables();
    private static final String SECRETS_MOUNT = "/etc/kdpipe/secrets/";

    private static final Map<String, Function<ConfigReader, Object>> READERS = Map.of(
            "extractor", ExtractorConfig::read,
            "transformer", TransformerConfig::read,
            "notifier", NotifierConfig::read);

    /** Each overlay, rendered once per test. */
    @Nested
    @ParameterizedClass(name = "{0}")
    @FieldSource("io.kdpipe.deploy.DeployFiles#OVERLAYS")
    class EachOverlay {

        private final String overlay;
        private final Rendered r;

        EachOverlay(String overlay) {
            this.overlay = overlay;
            this.r = Rendered.overlay(overlay);
        }

        @Test
        void rendersEveryResourceOfEachService() {
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

        @Test
        void everyContainerIsProbedLimitedAndUnprivileged() {
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
                    JsonNode runAsUser = sc.has("runAsUser") ? sc.path("runAsUser") : pod.at("/securityContext/runAsUser");
                    assertThat(runAsUser.isInt() && runAsUser.asInt() > 0).as("%s runs as a set, non-root uid (%s)", what, runAsUser).isTrue();
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

        @Test
        void everySettingIsAKeyTheServiceReadsAndNoRequiredKeyIsMissing() throws Exception {
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
                    if (!known.contains(key) && !known.contains(base) && !key.startsWith("KAFKA_") && !JVM_VARIABLES.contains(key)
                            && !LOGGING_VARIABLES.contains(key)) {
                        unknown.add(key);
                    }
                }
                assertThat(unknown).as("%s/%s: settings the service does not read", overlay, service).isEmpty();
            }
        }

        @Test
        void secretExamplesHoldKeysButNoValues() throws Exception {
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

        @Test
        void kafkaTopicsAreTheTopicsDeclaredInCode() {
            Map<String, String> kafka = r.configMap(configMapName(r, "extractor", "kdpipe-kafka"));
            String prefix = kafka.getOrDefault("KDPIPE_TOPIC_PREFIX", "");
            ExtractorConfig extractor = ExtractorConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "extractor"))));

            Map<String, Topic<?, ?>> declared = new TreeMap<>();
            Topics.ALL.forEach(t -> declared.put(t.name(prefix), t));
            Topic<?, ?> jobs = Topics.jobs(extractor.jobs().size());
            declared.put(jobs.name(prefix), jobs);

            Map<String, JsonNode> resources = new TreeMap<>();
            r.ofKind("KafkaTopic").forEach(t -> resources.put(t.at("/spec/topicName").asText(), t));
            assertThat(r.ofKind("KafkaTopic")).allSatisfy(t -> assertThat(t.path("apiVersion").asText())
                    .as("%s uses Strimzi's v1 API", name(t)).isEqualTo("kafka.strimzi.io/v1"));
            assertThat(resources.keySet()).as("KafkaTopic names in %s", overlay).isEqualTo(declared.keySet());
            declared.forEach((name, topic) -> {
                JsonNode spec = resources.get(name).path("spec");
                assertThat(spec.path("partitions").asInt()).as("%s partitions", name).isEqualTo(topic.partitions());
                Map<String, String> config = new TreeMap<>();
                spec.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
                // durability is the cluster's choice: with three replicas a write needs two of them
                String minInsync = config.remove("min.insync.replicas");
                int replicas = spec.path("replicas").asInt();
                if (replicas >= 3) {
                    assertThat(minInsync).as("%s with %s replicas: min.insync.replicas", name, replicas).isEqualTo("2");
                } else if (minInsync != null) {
                    assertThat(Integer.parseInt(minInsync)).as("%s min.insync.replicas below its replicas", name).isLessThan(replicas);
                }
                assertThat(config).as("%s settings", name).isEqualTo(new TreeMap<>(topic.config()));
                int rf = Integer.parseInt(kafka.getOrDefault("KDPIPE_TOPIC_REPLICATION_FACTOR", "-1"));
                if (rf > 0) {
                    assertThat(spec.path("replicas").asInt()).as("%s replicas match KDPIPE_TOPIC_REPLICATION_FACTOR", name).isEqualTo(rf);
                }
            });
        }

        @Test
        void kedaScalesTheTransformerOnLagAndNothingResetsItsCount() {
            String prefix = r.configMap(configMapName(r, "transformer", "kdpipe-kafka")).getOrDefault("KDPIPE_TOPIC_PREFIX", "");
            TransformerConfig transformer = TransformerConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "transformer"))));
            assertThat(r.ofKind("ScaledObject")).extracting(so -> so.at("/spec/scaleTargetRef/name").asText())
                    .as("%s: only the transformer is autoscaled", overlay).containsExactly("transformer");
            JsonNode so = r.one("ScaledObject", "transformer");
            assertThat(r.one("Deployment", "transformer").at("/spec").has("replicas"))
                    .as("%s: the KEDA-managed transformer Deployment sets no replicas (an apply would reset KEDA's count)", overlay).isFalse();
            assertThat(so.at("/spec/maxReplicaCount").asInt()).as("maxReplicaCount").isBetween(1, Topics.PIPELINE_PARTITIONS);
            int standbys = Integer.parseInt(environment(r, r.one("Deployment", "transformer").at("/spec/template/spec/containers/0"))
                    .getOrDefault("KAFKA_NUM_STANDBY_REPLICAS", "0"));
            assertThat(so.at("/spec/minReplicaCount").asInt())
                    .as("%s: minReplicaCount leaves room for KAFKA_NUM_STANDBY_REPLICAS=%s standby copies", overlay, standbys)
                    .isGreaterThanOrEqualTo(standbys + 1);
            if (overlay.equals("prod")) {
                assertThat(so.at("/spec/minReplicaCount").asInt()).as("prod runs two transformers at least").isGreaterThanOrEqualTo(2);
                assertThat(standbys).as("prod keeps a warm standby of every task").isGreaterThanOrEqualTo(1);
            }
            JsonNode scaleDown = so.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown");
            assertThat(scaleDown.path("stabilizationWindowSeconds").asInt())
                    .as("%s: the scale-down window is the HPA's behaviour (cooldownPeriod only governs scaling to zero)", overlay)
                    .isGreaterThanOrEqualTo(300);
            assertThat(scaleDown.path("policies")).as("scale-down policies").isNotEmpty()
                    .allSatisfy(policy -> assertThat(policy.path("type").asText() + "=" + policy.path("value").asInt())
                            .as("scale down one pod at a time").isEqualTo("Pods=1"));
            assertThat(so.at("/spec/cooldownPeriod").isMissingNode()).as("no cooldownPeriod pretending to slow scale-downs").isTrue();
            JsonNode trigger = so.at("/spec/triggers/0");
            assertThat(trigger.path("type").asText()).isEqualTo("kafka");
            assertThat(List.of(trigger.at("/metadata/consumerGroup").asText(), trigger.at("/metadata/topic").asText()))
                    .as("the transformer scales on its own group's lag on its input topic")
                    .isEqualTo(List.of(transformer.applicationId(), Topics.CUSTOMERS.name(prefix)));
            assertThat(trigger.at("/metadata/bootstrapServers").asText()).as("trigger's brokers")
                    .isEqualTo(r.configMap(configMapName(r, "transformer", "kdpipe-kafka")).get("KAFKA_BOOTSTRAP_SERVERS"));
        }

        @Test
        void fixedReplicaCountsCoverTheJobsAndKeepTheNotifierAvailable() {
            ExtractorConfig extractor = ExtractorConfig.read(new ConfigReader(ConfigSource.of(withStandIns(r, "extractor"))));
            int jobs = extractor.jobs().size();
            int extractors = r.one("Deployment", "extractor").at("/spec/replicas").asInt();
            assertThat(extractors).as("%s: an extractor replica for each of the %s jobs", overlay, jobs).isGreaterThanOrEqualTo(jobs);
            int notifiers = r.one("Deployment", "notifier").at("/spec/replicas").asInt(-1);
            assertThat(notifiers).as("%s: the notifier runs a fixed replica count", overlay).isPositive();
            if (overlay.equals("prod")) {
                assertThat(extractors).as("prod: a hot standby beyond the %s jobs", jobs).isGreaterThan(jobs);
                assertThat(notifiers).as("prod: a second notifier takes the partitions over at once").isGreaterThanOrEqualTo(2);
            }
        }

        @Test
        void disruptionBudgetsAndSpreadLetNodesDrain() {
            for (JsonNode d : r.ofKind("Deployment")) {
                String service = name(d);
                JsonNode podLabels = d.at("/spec/template/metadata/labels");
                JsonNode pdb = r.one("PodDisruptionBudget", service);
                assertThat(matches(pdb.at("/spec/selector/matchLabels"), podLabels)).as("%s PDB selects its pods", service).isTrue();
                assertThat(pdb.at("/spec/maxUnavailable").asInt()).as("%s PDB maxUnavailable", service).isEqualTo(1);
                assertThat(pdb.at("/spec/unhealthyPodEvictionPolicy").asText())
                        .as("%s: unready pods (Kingdee or DingTalk down) may be evicted", service).isEqualTo("AlwaysAllow");
                Set<String> keys = new TreeSet<>();
                for (JsonNode c : d.at("/spec/template/spec/topologySpreadConstraints")) {
                    assertThat(matches(c.at("/labelSelector/matchLabels"), podLabels)).as("%s spread selects its own pods", service).isTrue();
                    assertThat(c.path("maxSkew").asInt()).as("%s maxSkew", service).isEqualTo(1);
                    assertThat(c.path("whenUnsatisfiable").asText()).as("%s spread never leaves a pod pending", service)
                            .isEqualTo("ScheduleAnyway");
                    keys.add(c.path("topologyKey").asText());
                }
                assertThat(keys).as("%s spreads over", service).containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
            }
        }

        @Test
        void egressGoesOnlyToDnsKafkaAndHttps() {
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

        @Test
        void httpPortIsReachableOnlyFromMonitoringAndTheNodes() {
            for (JsonNode d : r.ofKind("Deployment")) {
                JsonNode labels = d.at("/spec/template/metadata/labels");
                List<JsonNode> ingress = r.ofKind("NetworkPolicy").stream()
                        .filter(p -> p.at("/spec/policyTypes").toString().contains("Ingress") && matches(p.at("/spec/podSelector/matchLabels"), labels))
                        .toList();
                assertThat(ingress).as("%s's ingress is restricted by a NetworkPolicy", name(d)).isNotEmpty();
                int port = d.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt();
                for (JsonNode policy : ingress) {
                    for (JsonNode rule : policy.at("/spec/ingress")) {
                        assertThat(rule.path("ports")).as("%s: ingress rules name their ports", name(policy)).isNotEmpty()
                                .allSatisfy(p -> assertThat(p.path("port").asInt()).isEqualTo(port));
                        assertThat(rule.path("from")).as("%s: an ingress rule without peers admits everyone", name(policy)).isNotEmpty();
                        for (JsonNode peer : rule.path("from")) {
                            if (peer.has("ipBlock")) {
                                String cidr = peer.at("/ipBlock/cidr").asText();
                                assertThat(cidr).as("%s: the nodes' block (kubelet probes)", name(policy)).matches(
                                        "(10|172|192)\\.[0-9.]+/(1[6-9]|2[0-9]|3[0-2])");
                            } else {
                                assertThat(peer.has("podSelector")).as("%s: no pod selector (any pod of the namespace)", name(policy)).isFalse();
                                assertThat(peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                                        .as("%s: only the monitoring namespace", name(policy)).isEqualTo("monitoring");
                            }
                        }
                    }
                }
            }
        }

        @Test
        void monitoringIsPackagedForTheOperators() throws Exception {
            YAMLMapper yaml = new YAMLMapper();
            JsonNode rule = r.one("PrometheusRule", "kdpipe");
            List<Path> ruleFiles = DeployFiles.ruleFiles();
            assertThat(ruleFiles).hasSize(1);
            assertThat(rule.at("/spec/groups")).as("%s: the PrometheusRule holds kdpipe.rules.yml's groups; run deploy/prometheus/prometheusrule.sh",
                    overlay).isEqualTo(yaml.readTree(ruleFiles.get(0).toFile()).path("groups"));
            JsonNode monitor = r.one("PodMonitor", "kdpipe");
            assertThat(rule.at("/metadata/labels/release").asText()).as("the PrometheusRule carries the label kube-prometheus-stack selects")
                    .isNotEmpty().isEqualTo(monitor.at("/metadata/labels/release").asText());
            assertThat(monitor.at("/spec/podTargetLabels").toString()).as("`up` says which service a target is (the rules need it)")
                    .contains("\"app.kubernetes.io/name\"", "\"app.kubernetes.io/part-of\"");

            JsonNode dashboards = r.one("ConfigMap", "kdpipe-dashboards");
            assertThat(dashboards.at("/metadata/labels/grafana_dashboard").asText()).as("Grafana's sidecar label").isEqualTo("1");
            assertThat(dashboards.at("/metadata/namespace").asText()).isNotEmpty();
            Map<String, String> data = new TreeMap<>();
            dashboards.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            Map<String, String> files = new TreeMap<>();
            for (Path file : DeployFiles.dashboards()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
            assertThat(data).as("%s: the dashboard ConfigMap holds each dashboard JSON unchanged", overlay).isEqualTo(files);
        }
    }

    @Test
    void prometheusRuleFileIsWhatTheScriptWrites(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("prometheus");
        Files.createDirectories(copy);
        for (String f : List.of("prometheusrule.sh", "kdpipe.rules.yml")) {
            Files.copy(DeployFiles.PROMETHEUS.resolve(f), copy.resolve(f));
        }
        Rendered.Tool.run(copy.toFile(), "bash", "prometheusrule.sh");
        assertThat(Files.readString(DeployFiles.PROMETHEUS.resolve("prometheusrule.yaml")))
                .as("deploy/prometheus/prometheusrule.yaml is up to date (run deploy/prometheus/prometheusrule.sh)")
                .isEqualTo(Files.readString(copy.resolve("prometheusrule.yaml")));
    }

    @Test
    void withoutKubectlTheManifestTestsFailInCiAndSkipElsewhere() {
        Map<String, String> noKubectl = Map.of("PATH", "/nonexistent");
        assertThatThrownBy(() -> Rendered.requireKubectl(Map.of("PATH", "/nonexistent", "CI", "true")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("kubectl is not on the PATH");
        assertThatThrownBy(() -> Rendered.requireKubectl(noKubectl)).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void loggingKeysComeFromTheLoggingConfiguration() {
        assertThat(LOGGING_VARIABLES).contains("KDPIPE_LOG_FORMAT", "KDPIPE_LOG_LEVEL");
    }

    @Test
    void hpaFallbackScalesOnlyTheTransformerWithinThePartitions() throws Exception {
        Path file = DeployFiles.K8S.resolve("examples/hpa-fallback.yaml");
        List<JsonNode> hpas = new ArrayList<>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            it.forEachRemaining(hpas::add);
        }
        assertThat(hpas).extracting(h -> h.at("/spec/scaleTargetRef/name").asText()).containsExactly("transformer");
        assertThat(hpas).allSatisfy(h -> {
            assertThat(h.at("/spec/maxReplicas").asInt()).isBetween(2, Topics.PIPELINE_PARTITIONS);
            assertThat(h.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(h.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isGreaterThanOrEqualTo(300);
        });
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

    /** The {@code ${KDPIPE_...}} variables the services' logback.xml substitutes. */
    private static Set<String> loggingVariables() {
        try (var in = ManifestsTest.class.getClassLoader().getResourceAsStream("logback.xml")) {
            assertThat(in).as("common's logback.xml on the class path").isNotNull();
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Set<String> keys = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{(KDPIPE_[A-Z0-9_]+)").matcher(xml);
            while (m.find()) {
                keys.add(m.group(1));
            }
            return Set.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(JsonNode resource) {
        return resource.at("/metadata/name").asText();
    }
}
