package io.kdpipe.cli.trail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.cli.operate.Cli;
import io.kdpipe.cli.operate.OperateFixture;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerMain;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One customer driven through the pipeline on a real broker, with two transformer instances, the
 * notifier and the DingTalk sandbox: after each step {@code kdpipe trail} gives the right conclusion,
 * and the transformer instance that does not own the customer answers {@code /trail} the same.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrailIT {

    private static final String ACCOUNT = "acct1";
    private static final String CUSTOMER = "C0123";
    private static final String TRAIL_TOKEN = "trail-token-for-tests";
    private static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theTrailTellsWhatHappenedToTheCustomerAtEachStep(KafkaBroker broker, @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        String prefix = TestNames.topicPrefix();
        Map<String, String> env = OperateFixture.pipelineEnv(broker, prefix);
        // only the current salesperson, so a change to one without a userid reaches nobody
        env.put("KDPIPE_ROUTE_CHANGED", "salesperson");

        List<AutoCloseable> running = new ArrayList<>();
        DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().resultDelay(Duration.ofSeconds(1))
                .user(SandboxUser.of("zhangwei", "张伟", "13800000001")).build());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            person(producer, prefix, "XSY007", "张伟", "zhangwei");
            person(producer, prefix, "XSY008", "李四", "lisi"); // lisi is not in DingTalk (yet): a permanent error

            String appId = TestNames.unique("transformer");
            ServiceRuntime a = transformer(env, appId, stateA, "trail-a");
            running.add(a);
            ServiceRuntime b = transformer(env, appId, stateB, "trail-b");
            running.add(b);
            running.add(notifier(env, sandbox));
            // (the sandbox answers getsendresult after a second; the notifier asks a second after a send, every notice)
            await().atMost(STEP).until(() -> ready(a) && ready(b));

            // 1. created and delivered
            row(producer, prefix, T0, "XSY007");
            String created = awaitConclusion(env, prefix, c -> c.startsWith("delivered to 张伟 (zhangwei)") && c.contains(", task "));
            String createdId = eventsOf(trailJson(env, prefix), "notice").get(0).path("noticeId").asText();

            // 2. a noise-only edit: only FModifyDate moves
            row(producer, prefix, T0.plusSeconds(60), "XSY007");
            awaitConclusion(env, prefix, c -> c.equals("not sent: noise-only edit (only FModifyDate moved) (FModifyDate 2026-11-28 10:01:00)"));

            // 3. a change whose salesperson has no DingTalk userid
            row(producer, prefix, T0.plusSeconds(120), "XSY099");
            awaitConclusion(env, prefix, c -> c.equals("not sent: salesperson XSY099 is not in the directory; "
                    + "no fallback step (department-manager, list) reached anyone"));
            await().atMost(STEP).until(() -> trailText(env, prefix).contains("NO_RECIPIENTS"));

            // 4. a userid DingTalk does not know: the free contacts check dead-letters it without a counted call
            row(producer, prefix, T0.plusSeconds(180), "XSY008");
            awaitConclusion(env, prefix, c -> c.startsWith("dead-lettered ") && c.contains("INVALID_USER (errcode 60121)")
                    && c.endsWith("waiting for a redrive"));

            // 5. lisi joins DingTalk; the dead letter is redriven and delivered
            int port = sandbox.baseUrl().getPort();
            sandbox.close();
            sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().port(port).resultDelay(Duration.ofSeconds(1))
                    .user(SandboxUser.of("zhangwei", "张伟", "13800000001"))
                    .user(SandboxUser.of("lisi", "李四", "13800000002")).build());
            Cli.Result redrive = Cli.run(env, "redrive", "--errcode", "60121", "--yes");
            assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
            awaitConclusion(env, prefix, c -> c.startsWith("delivered to 李四 (lisi)"));
            String story = trailText(env, prefix);
            assertThat(story).contains("redriven to the notices topic by").contains("errcode 60121");
            String redrivenId = eventsOf(trailJson(env, prefix), "redrive").get(0).path("noticeId").asText();
            Cli.Result one = Cli.run(env, "trail", "--notice", redrivenId, "-b", broker.bootstrapServers(), "--topic-prefix", prefix);
            assertThat(one.exitCode()).as(one.toString()).isZero();
            assertThat(one.out().lines().findFirst().orElseThrow()).startsWith("delivered to 李四 (lisi)");
            assertThat(one.out()).contains("dead-lettered " + redrivenId).doesNotContain("noise-only");

            // 6. a replay of the first notice
            Cli.Result replay = Cli.run(env, "replay", "--notice", createdId, "--yes");
            assertThat(replay.exitCode()).as(replay.toString()).isZero();
            String last = awaitConclusion(env, prefix, c -> c.startsWith("delivered to 张伟 (zhangwei)")
                    && c.endsWith("(resend of " + createdId + ")"));
            assertThat(trailText(env, prefix)).contains("replayed " + createdId + " as ");
            assertThat(last).isNotEqualTo(created);

            // the whole story, in time order, from the instance that does not own the customer
            JsonNode fromA = get(a);
            JsonNode fromB = get(b);
            assertThat(List.of(fromA.path("ownedByThisInstance").asBoolean(), fromB.path("ownedByThisInstance").asBoolean()))
                    .as("exactly one transformer instance processes the customer's rows").containsExactlyInAnyOrder(true, false);
            JsonNode other = fromA.path("ownedByThisInstance").asBoolean() ? fromB : fromA;
            assertThat(other.path("conclusion").asText()).isEqualTo(last);
            List<String> types = new ArrayList<>();
            other.path("events").forEach(e -> types.add(e.path("type").asText()));
            assertThat(types).containsSubsequence("row", "notice", "accepted", "delivered", "suppressed", "row", "notice", "dead-letter",
                    "row", "notice", "dead-letter", "redrive", "accepted", "delivered", "resend", "replay", "accepted", "delivered");
            List<Instant> times = new ArrayList<>();
            other.path("events").forEach(e -> times.add(Instant.parse(e.path("at").asText())));
            assertThat(times).isSorted();
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            sandbox.close();
        }
    }

    private interface Check {
        boolean ok(String conclusion);
    }

    private static String awaitConclusion(Map<String, String> env, String prefix, Check check) {
        String[] seen = new String[1];
        await().atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> {
            String text = trailText(env, prefix);
            seen[0] = text;
            return !text.isEmpty() && check.ok(text.lines().findFirst().orElse(""));
        });
        return seen[0].lines().findFirst().orElseThrow();
    }

    private static String trailText(Map<String, String> env, String prefix) {
        Cli.Result r = Cli.run(env, "trail", "--customer", CUSTOMER, "-b", env.get("KAFKA_BOOTSTRAP_SERVERS"), "--topic-prefix", prefix);
        return r.exitCode() == 0 ? r.out() : "";
    }

    private static JsonNode trailJson(Map<String, String> env, String prefix) throws Exception {
        Cli.Result r = Cli.run(env, "trail", "--customer", CUSTOMER, "--org", "100", "--json",
                "-b", env.get("KAFKA_BOOTSTRAP_SERVERS"), "--topic-prefix", prefix);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Json.mapper().readTree(r.out());
    }

    private static List<JsonNode> eventsOf(JsonNode trail, String type) {
        List<JsonNode> out = new ArrayList<>();
        trail.path("events").forEach(e -> {
            if (e.path("type").asText().equals(type)) {
                out.add(e);
            }
        });
        return out;
    }

    private JsonNode get(ServiceRuntime transformer) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + transformer.port() + "/trail?customer=" + CUSTOMER))
                .header("Authorization", "Bearer " + TRAIL_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private boolean ready(ServiceRuntime runtime) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static ServiceRuntime transformer(Map<String, String> env, String appId, Path stateDir, String clientId) {
        Map<String, String> t = new HashMap<>(env);
        t.put("KDPIPE_HTTP_PORT", "0");
        t.put("KDPIPE_TRANSFORMER_APPLICATION_ID", appId);
        t.put("KDPIPE_STATE_DIR", stateDir.toString());
        t.put("KDPIPE_TRAIL_TOKEN", TRAIL_TOKEN);
        t.put("KAFKA_CLIENT_ID", clientId);
        t.put("KAFKA_METADATA_MAX_AGE_MS", "1000");
        return TransformerMain.start(TransformerConfig.read(new ConfigReader(ConfigSource.of(t))));
    }

    private static ServiceRuntime notifier(Map<String, String> env, DingTalkSandbox sandbox) {
        Map<String, String> n = OperateFixture.notifierEnv(env, sandbox);
        // the sandbox restart breaks the notifier's connection once: retry soon
        n.put("NOTIFIER_RETRY_INITIAL_BACKOFF", "100ms");
        n.put("NOTIFIER_RETRY_MAX_BACKOFF", "500ms");
        // lisi is found unknown by the check before its send (step 4), not by a sweep ahead of it, which would
        // have the transformer route around lisi instead
        n.put("NOTIFIER_USER_SWEEP_INTERVAL", "0s");
        // every notice's delivery is checked with getsendresult a second after the send
        n.put("NOTIFIER_VERIFY_SAMPLE_RATE", "1.0");
        n.put("NOTIFIER_VERIFY_DELAY", "1s");
        // lisi is found unknown, then joins: ask the contacts API again soon
        n.put("NOTIFIER_USER_RECHECK_AFTER", "100ms");
        ServiceRuntime runtime = new ServiceRuntime("notifier", 0);
        NotifierMain.start(NotifierConfig.read(new ConfigReader(ConfigSource.of(n))), runtime);
        return runtime;
    }

    private static void person(KafkaProducer<String, byte[]> producer, String prefix, String number, String name, String userId)
            throws Exception {
        DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, name, null, userId,
                null, T0);
        producer.send(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key(), DirectoryEntry.CODEC.encode(e)))
                .get(30, TimeUnit.SECONDS);
    }

    /** One version of customer C0123 as the extractor writes it. */
    private static void row(KafkaProducer<String, byte[]> producer, String prefix, Instant modifiedAt, String salesperson)
            throws Exception {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("FNumber", TextNode.valueOf(CUSTOMER));
        fields.put("FName", TextNode.valueOf("上海华东电子有限公司"));
        fields.put("FUseOrgId_FNumber", TextNode.valueOf("100"));
        fields.put("FSELLER_FNumber", TextNode.valueOf(salesperson));
        fields.put("FDocumentStatus", TextNode.valueOf("C"));
        fields.put("FForbidStatus", TextNode.valueOf("A"));
        fields.put("FModifyDate", TextNode.valueOf(modifiedAt.toString()));
        CustomerRow row = CustomerRow.of(ACCOUNT, "BD_Customer", "123", modifiedAt, Instant.now(), CustomerRow.Phase.INCREMENTAL, fields);
        producer.send(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), row.key(), CustomerRow.CODEC.encode(row)))
                .get(30, TimeUnit.SECONDS);
    }
}
