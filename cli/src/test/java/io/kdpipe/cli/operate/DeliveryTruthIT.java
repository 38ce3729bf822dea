package io.kdpipe.cli.operate;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notifier against the DingTalk sandbox in its DingTalk-like mode (unknown and departed userids
 * accepted with {@code errcode 0}, reported only by {@code getsendresult} after a delay), on a real
 * broker, read back through {@code kdpipe trail} and {@code kdpipe status}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DeliveryTruthIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aGhostOrADepartedSalespersonIsNeverConcludedDeliveredAndARedriveWithReroutingAfterTheFixDeliversOnceToTheRightPerson(KafkaBroker broker) throws Exception {
        String prefix = TestNames.topicPrefix();
        Map<String, String> env = env(broker, prefix);
        Instant now = Instant.now();
        DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().resultDelay(Duration.ofSeconds(1))
                .user(SandboxUser.of("zhangwei", "张伟", "13800000001"))
                .user(SandboxUser.of("wangwu", "王五", "13800000003"))
                .user(SandboxUser.of("wangwu.new", "王五", "13800000013"))
                .user(SandboxUser.of("zhaoliu", "赵六", "13800000014"))
                .user(SandboxUser.of("lisi.new", "李四", "13800000015")).build());
        sandbox.depart("wangwu");
        List<AutoCloseable> running = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            // checked as a member two days ago, gone since: the free check before the send catches it
            person(producer, prefix, new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, "XSY010", "王五", null,
                    "wangwu", null, now.minus(Duration.ofDays(2)), DirectoryEntry.Status.ACTIVE, now.minus(Duration.ofDays(2)), null));
            // mapped to a userid nobody has: never checked
            person(producer, prefix, entry("XSY011", "赵六", "ghost0000001", now));
            // checked a minute ago as a member (trusted), but DingTalk does not know it: only getsendresult tells
            person(producer, prefix, new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, "XSY012", "李四", null,
                    "lisi", null, now.minusSeconds(60), DirectoryEntry.Status.ACTIVE, now.minusSeconds(60), null));
            person(producer, prefix, entry("XSY007", "张伟", "zhangwei", now));

            Map<String, String> n = notifierEnv(env, sandbox);
            n.put("NOTIFIER_VERIFY_KINDS", "APPROVED");
            n.put("NOTIFIER_VERIFY_DELAY", "2s"); // the accepted state lasts long enough for the trail to be read in it
            running.add(notifier(n));

            // as the transformer builds them: routed to the salesperson, with the routing inputs kept
            Notice departed = notice("n-departed", "wangwu", "王五的客户已审核", "XSY010");
            Notice ghost = notice("n-ghost", "ghost0000001", "赵六的客户已审核", "XSY011");
            Notice unknownButTrusted = notice("n-lisi", "lisi", "李四的客户已审核", "XSY012");
            Notice ok = notice("n-ok", "zhangwei", "张伟的客户已审核", "XSY007");
            publish(producer, prefix, List.of(departed, ghost, unknownButTrusted, ok));

            List<String> lisiConclusions = new ArrayList<>();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                String c = conclusion(env, "n-lisi");
                lisiConclusions.add(c);
                return c.startsWith("not delivered") || c.startsWith("dead-lettered");
            });
            assertThat(lisiConclusions).as("accepted by DingTalk, then found not delivered; never called delivered")
                    .noneMatch(c -> c.startsWith("delivered")).anyMatch(c -> c.startsWith("accepted by DingTalk for 李四 (lisi)"));
            await().atMost(WAIT).until(() -> conclusion(env, "n-ok").startsWith("delivered to 张伟 (zhangwei)"));
            await().atMost(WAIT).until(() -> deadLetters(broker, prefix).size() == 3);

            assertThat(conclusion(env, "n-departed")).startsWith("dead-lettered").contains("DEPARTED").doesNotContain("delivered to");
            assertThat(conclusion(env, "n-ghost")).startsWith("dead-lettered").contains("INVALID_USER").doesNotContain("delivered to");
            assertThat(conclusion(env, "n-lisi")).doesNotStartWith("delivered");
            Map<String, String> reasons = new HashMap<>();
            deadLetters(broker, prefix).forEach(r -> reasons.put(Notice.CODEC.decode(r.value()).id(),
                    DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)));
            assertThat(reasons).containsEntry("n-departed", "DEPARTED").containsEntry("n-ghost", "INVALID_USER")
                    .containsEntry("n-lisi", "INVALID_USER");
            assertThat(sandbox.stats().countedCalls()).as("n-ok and n-lisi: one send and one check each; the free check "
                    + "caught the departed and the unknown userid without a counted call").isEqualTo(4);
            assertThat(sandbox.contactsCalls()).isGreaterThanOrEqualTo(2);
            Map<String, DirectoryEntry> directory = directory(broker, prefix);
            assertThat(directory.get("person:XSY010").status()).isEqualTo(DirectoryEntry.Status.DEPARTED);
            assertThat(directory.get("person:XSY011").status()).isEqualTo(DirectoryEntry.Status.UNKNOWN);
            Cli.Result status = Cli.run(env, "status");
            assertThat(status.out()).contains("1 delivered (confirmed by getsendresult)").contains("3 not delivered");

            // the directory is fixed the way it happens: the salespeople are mapped to their right (existing) userids
            Path csv = Files.createTempFile("salespeople", ".csv");
            Files.writeString(csv, """
                    number,name,mobile,userid
                    XSY010,王五,13800000013,wangwu.new
                    XSY011,赵六,13800000014,zhaoliu
                    XSY012,李四,13800000015,lisi.new
                    """, StandardCharsets.UTF_8);
            Cli.Result imported = Cli.run(env, "directory", "import", csv.toString());
            Files.delete(csv);
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            assertThat(imported.out().lines().filter(l -> l.contains(".new") || l.contains("zhaoliu")))
                    .as("a new userid starts unchecked, whatever the old one was found to be").hasSize(3)
                    .allMatch(l -> l.trim().endsWith("UNCHECKED"));
            Cli.Result redrive = Cli.run(env, "redrive", "--reroute", "--yes");
            assertThat(redrive.exitCode()).as(redrive.toString()).isZero();
            assertThat(redrive.out()).contains("re-routed to wangwu.new").contains("re-routed to zhaoliu")
                    .contains("re-routed to lisi.new");

            // the re-routed copy sits on another notices partition than the original: the trail puts them in write order
            for (String[] c : new String[][] {{"n-departed", "王五 (wangwu.new)"}, {"n-ghost", "赵六 (zhaoliu)"},
                    {"n-lisi", "李四 (lisi.new)"}}) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> assertThat(conclusion(env, c[0]))
                        .as(c[0]).startsWith("delivered to " + c[1]));
            }
            Cli.Result trail = Cli.run(env, "trail", "--notice", "n-departed", "-b", env.get("KAFKA_BOOTSTRAP_SERVERS"),
                    "--topic-prefix", prefix);
            assertThat(trail.out()).as(trail.toString()).contains("DEPARTED").contains("re-routed to 王五 (wangwu.new)");
            assertThat(copies(sandbox, "wangwu.new", departed)).isEqualTo(1);
            assertThat(copies(sandbox, "zhaoliu", ghost)).isEqualTo(1);
            assertThat(copies(sandbox, "lisi.new", unknownButTrusted)).isEqualTo(1);
            assertThat(copies(sandbox, "zhangwei", ok)).isEqualTo(1);
            for (String old : List.of("wangwu", "ghost0000001", "lisi")) {
                assertThat(sandbox.inbox(old)).as("nothing reaches the old userid " + old).isEmpty();
            }
            assertThat(sandbox.inboxes().values().stream().mapToInt(List::size).sum()).isEqualTo(4);
            assertThat(sandbox.stats().sendCalls()).as("one more send per redriven notice, no more").isEqualTo(5);
            Cli.Result again = Cli.run(env, "redrive", "--reroute", "--yes");
            assertThat(again.out()).contains("Nothing to redrive");
            Map<String, DirectoryEntry> fixedDirectory = directory(broker, prefix);
            assertThat(fixedDirectory.get("person:XSY010").status()).as("checked by the notifier before the send")
                    .isEqualTo(DirectoryEntry.Status.ACTIVE);
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            sandbox.close();
        }
    }

    @Test
    void whenDingTalkSaysTheQuotaIsUsedUpMetricsStatusAndReadinessAgreeAndSendingResumesWithoutARestart(KafkaBroker broker)
            throws Exception {
        String prefix = TestNames.topicPrefix();
        Map<String, String> env = env(broker, prefix);
        DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().monthlyQuota(3)
                .users(DingTalkSandboxOptions.numberedUsers(6)).build());
        List<AutoCloseable> running = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            Map<String, String> n = notifierEnv(env, sandbox);
            n.put("DINGTALK_MONTHLY_BUDGET", "5000"); // kdpipe's own count has room: only DingTalk knows better
            n.put("NOTIFIER_QUOTA_PROBE_INTERVAL", "2s");
            n.put("NOTIFIER_VERIFY_BUDGET_SHARE", "0");
            ServiceRuntime notifier = notifier(n);
            running.add(notifier);
            List<Notice> notices = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                notices.add(notice("q-" + i, String.format("user-%04d", i), "客户 " + i + " 已审核"));
            }
            publish(producer, prefix, notices);

            await().atMost(WAIT).until(() -> metric(notifier, "kdpipe_notifier_budget_refused") == 1.0);
            assertThat(metric(notifier, "kdpipe_notifier_budget_remaining")).isZero();
            HttpResponse<String> ready = health(notifier);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("DingTalk says the quota is used up");
            await().atMost(WAIT).until(() -> Cli.run(env, "status").out().contains("DingTalk says the quota is used up"));
            assertThat(Cli.run(env, "status", "--json").out()).contains("\"refusedByDingTalk\" : true").contains("\"remaining\" : 0");
            assertThat(sandbox.inboxes()).hasSize(3);

            sandbox.monthlyQuota(100); // the organisation upgrades; nothing is restarted
            await().atMost(WAIT).until(() -> sandbox.inboxes().size() == 6);
            await().atMost(WAIT).until(() -> health(notifier).statusCode() == 200);
            assertThat(metric(notifier, "kdpipe_notifier_budget_refused")).isZero();
            assertThat(metric(notifier, "kdpipe_notifier_budget_remaining")).isGreaterThan(0);
            await().atMost(WAIT).until(() -> !Cli.run(env, "status").out().contains("DingTalk says the quota is used up"));
            for (Notice x : notices) {
                assertThat(copies(sandbox, x.recipients().userIds().get(0), x)).as(x.id()).isEqualTo(1);
            }
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            sandbox.close();
        }
    }

    // ---- helpers

    /** The test's settings, with one notifier group for every notifier of the test. */
    private static Map<String, String> env(KafkaBroker broker, String prefix) {
        Map<String, String> env = OperateFixture.pipelineEnv(broker, prefix);
        env.put("NOTIFIER_GROUP_ID", TestNames.unique("notifier"));
        return env;
    }

    private static Map<String, String> notifierEnv(Map<String, String> env, DingTalkSandbox sandbox) {
        Map<String, String> n = OperateFixture.notifierEnv(env, sandbox);
        n.put("NOTIFIER_RETRY_INITIAL_BACKOFF", "100ms");
        n.put("NOTIFIER_RETRY_MAX_BACKOFF", "500ms");
        return n;
    }

    private static ServiceRuntime notifier(Map<String, String> n) {
        return NotifierMain.start(NotifierConfig.read(new ConfigReader(ConfigSource.of(n))));
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        return new KafkaProducer<>(broker.clientConfig(), new StringSerializer(), new ByteArraySerializer());
    }

    private static DirectoryEntry entry(String number, String name, String userId, Instant at) {
        return new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, name, null, userId, null, at);
    }

    private static void person(KafkaProducer<String, byte[]> producer, String prefix, DirectoryEntry e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key(), DirectoryEntry.CODEC.encode(e))).get(30, TimeUnit.SECONDS);
    }

    private static Notice notice(String id, String userId, String text) {
        return notice(id, userId, text, null);
    }

    /** A notice to {@code userId}; with {@code salesperson}, routed to that salesperson (so it can be re-routed). */
    private static Notice notice(String id, String userId, String text, String salesperson) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
        msg.putObject("text").put("content", text);
        return new Notice(Notice.VERSION, id, Notice.Kind.APPROVED, List.of("acct:" + id),
                new Notice.Recipients(List.of(userId), List.of(), List.of()), msg,
                new Notice.Provenance("kingdee.customers.v1", 0, 0, Instant.now().minusSeconds(5), null), Instant.now(),
                salesperson == null ? null : new Notice.Routing(Notice.Kind.APPROVED, salesperson, null, null, List.of()));
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String prefix, List<Notice> notices) throws Exception {
        for (Notice n : notices) {
            producer.send(new ProducerRecord<>(Topics.NOTICES.name(prefix), n.id(), Notice.CODEC.encode(n))).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(KafkaBroker broker, String prefix) {
        return new TopicReader<>(broker, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readAll(Topics.NOTICES_DLT.name(prefix));
    }

    private static Map<String, DirectoryEntry> directory(KafkaBroker broker, String prefix) {
        Map<String, DirectoryEntry> out = new HashMap<>();
        new TopicReader<>(broker, new StringDeserializer(), Topics.DIRECTORY.valueSerde().deserializer())
                .readAll(Topics.DIRECTORY.name(prefix)).forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    private static long copies(DingTalkSandbox sandbox, String userId, Notice n) {
        return sandbox.inbox(userId).stream().map(InboxMessage::msg).filter(n.msg()::equals).count();
    }

    private static String conclusion(Map<String, String> env, String noticeId) {
        Cli.Result r = Cli.run(env, "trail", "--notice", noticeId, "-b", env.get("KAFKA_BOOTSTRAP_SERVERS"),
                "--topic-prefix", env.get("KDPIPE_TOPIC_PREFIX"));
        return r.exitCode() == 0 ? r.out().lines().findFirst().orElse("") : "";
    }

    private double metric(ServiceRuntime runtime, String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(Double.NaN);
    }

    private HttpResponse<String> health(ServiceRuntime runtime) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
