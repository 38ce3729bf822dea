package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.rows.CustomerFieldKeys;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.kingdee.CustomerTable;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import io.kdpipe.testkit.TestNames;
import io.kdpipe.testkit.TopicReader;
import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kdpipe local} runs, end to end on a real embedded broker and the sandboxes: the
 * snapshot notifies nobody, each live change reaches exactly its salesperson's inbox once with the
 * expected text, and a restart of the whole thing on the same data directory sends nothing again.
 */
class LocalRunIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int CUSTOMERS = 30;

    @TempDir
    Path dataDir;

    private final List<String> console = new CopyOnWriteArrayList<>();

    @Test
    void shouldNotifyEachLiveChangeOnceAndNothingTwiceAfterARestart() throws Exception {
        LocalOptions options = options();
        Map<String, Expected> expected = new HashMap<>();

        try (LocalRun run = LocalRun.start(options, console::add)) {
            CustomerTable table = run.kingdee().table();
            await().atMost(WAIT).until(() -> run.counts().rowsSnapshot() == CUSTOMERS
                    && rowsIn(run) >= CUSTOMERS);
            assertThat(run.counts().notices()).as("notices built from the snapshot").isZero();
            assertThat(run.dingTalk().inboxes()).as("inboxes after the snapshot").isEmpty();

            List<SandboxCustomer> rows = table.all();
            SandboxCustomer toApprove = rows.stream().filter(c -> "A".equals(c.get("FDocumentStatus"))).findFirst().orElseThrow();
            SandboxCustomer toEdit = rows.stream().filter(c -> c.id() != toApprove.id()).findFirst().orElseThrow();
            SandboxCustomer toForbid = rows.stream().filter(c -> c.id() != toApprove.id() && c.id() != toEdit.id()).findFirst().orElseThrow();

            table.approve(toApprove.id());
            expect(expected, toApprove, "客户已审核：" + toApprove.name(), "### 客户已审核");
            table.edit(toEdit.id(), Map.of("FADDRESS", "上海市浦东新区<b>世纪大道</b> 88 号"));
            expect(expected, toEdit, "客户资料变更：" + toEdit.name(), "世纪大道");
            table.forbid(toForbid.id());
            expect(expected, toForbid, "客户已禁用：" + toForbid.name(), "### 客户已禁用");
            SandboxCustomer created = table.create("101");
            expect(expected, created, "新客户：" + created.name(), "### 新客户已建立");

            await().atMost(WAIT).until(() -> run.counts().delivered() == expected.size());
            Map<String, List<InboxMessage>> inboxes = run.dingTalk().inboxes();
            assertThat(inboxes.values().stream().mapToInt(List::size).sum()).as("messages delivered").isEqualTo(expected.size());
            for (Expected e : expected.values()) {
                List<InboxMessage> inbox = inboxes.getOrDefault(e.userId(), List.of());
                List<InboxMessage> matching = inbox.stream()
                        .filter(m -> e.title().equals(m.msg().path("markdown").path("title").asText())).toList();
                assertThat(matching).as("messages titled %s in %s's inbox", e.title(), e.userId()).hasSize(1);
                String text = matching.get(0).msg().path("markdown").path("text").asText();
                assertThat(text).contains(e.bodyPart()).contains(e.number());
            }
            assertThat(run.counts().notices()).as("notices built").isEqualTo(expected.size());
            assertThat(run.counts().noticeDeadLetters() + run.counts().rowDeadLetters()).isZero();

            // the inbox page shows the message as DingTalk would, with the Kingdee value's HTML escaped
            String page = get(run, "/inbox/" + expected.get("edit").userId());
            assertThat(page).contains(MessageHtml.escape("客户资料变更：" + toEdit.name()))
                    .contains("&lt;b&gt;世纪大道&lt;/b&gt;")
                    .doesNotContain("<b>世纪大道");
            assertThat(get(run, "/")).contains("notices sent").contains("/metrics").contains("/health/ready");
            assertThat(console).anyMatch(l -> l.contains("accepted") && l.contains(expected.get("approve").title()));
            assertThat(get(run, "/")).contains("Extractor jobs").contains(".BD_Customer.").contains("<td>ok</td>");

            // a failing extractor says so on the status page, with its last error
            run.kingdee().faults().always(KingdeeFaults.msgCode(9, "元数据中标识为FX的字段不存在"));
            await().atMost(WAIT).until(() -> get(run, "/").contains("<td>failing</td>"));
            assertThat(get(run, "/")).contains("元数据中标识为FX的字段不存在");
            run.kingdee().faults().clear();
        }

        // the same data directory again: checkpoints, Streams state and the ledger carry over
        try (LocalRun run = LocalRun.start(options, console::add)) {
            await().atMost(WAIT).until(() -> run.counts().caughtUp() && run.counts().delivered() == expected.size());
            CustomerTable table = run.kingdee().table();
            SandboxCustomer untouched = table.all().stream()
                    .filter(c -> expected.values().stream().noneMatch(e -> e.customerId() == c.id()))
                    .findFirst().orElseThrow();
            table.edit(untouched.id(), Map.of("FTEL", "021-5858 6666"));
            String title = "客户资料变更：" + untouched.name();
            String userId = LocalDirectory.userId((String) untouched.get("FSELLER.FNumber"));

            await().atMost(WAIT).until(() -> run.counts().delivered() == expected.size() + 1);
            // nothing from before the restart arrives again, however long one waits
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> run.dingTalk().inboxes().values().stream().mapToInt(List::size).sum() == 1);
            assertThat(run.dingTalk().inbox(userId)).singleElement()
                    .satisfies(m -> assertThat(m.msg().path("markdown").path("title").asText()).isEqualTo(title));
            assertThat(run.dingTalk().journal()).filteredOn(c -> c.api().equals("asyncsend_v2")).hasSize(1);

            TopicReader<String, DeliveryRecord> ledger = new TopicReader<>(run::bootstrapServers,
                    new StringDeserializer(), DeliveryRecord.CODEC.serde().deserializer());
            List<String> sent = ledger.readAll(Topics.DELIVERIES.name(options.settings().get("KDPIPE_TOPIC_PREFIX"))).stream()
                    .map(ConsumerRecord::value).filter(d -> d.status() == DeliveryRecord.Status.SENT)
                    .map(DeliveryRecord::noticeId).toList();
            assertThat(sent).as("ledger entries across both runs").hasSize(expected.size() + 1).doesNotHaveDuplicates();
            assertThat(run.counts().notices()).as("notices built across both runs").isEqualTo(expected.size() + 1);
            assertThat(run.counts().rowsSnapshot()).as("snapshot rows across both runs: the restart resumed from the checkpoint")
                    .isEqualTo(CUSTOMERS);
        }
    }

    @Test
    void shouldNotifyApproveForbidAndEnableWhenTheFieldListLacksTheStatusFields() throws Exception {
        // the seed's own column list: flattened spelling, neither FDocumentStatus nor FForbidStatus
        LocalOptions options = options(Map.of("KINGDEE_FIELD_KEYS", CustomerFieldKeys.SEED.stream()
                .map(k -> k.replace('.', '_')).collect(Collectors.joining(","))));
        assertThat(options.settings().get("KINGDEE_FIELD_KEYS")).doesNotContain("FDocumentStatus").doesNotContain("FForbidStatus");
        try (LocalRun run = LocalRun.start(options, console::add)) {
            CustomerTable table = run.kingdee().table();
            await().atMost(WAIT).until(() -> run.counts().rowsSnapshot() == CUSTOMERS && rowsIn(run) >= CUSTOMERS);
            List<SandboxCustomer> rows = table.all();
            SandboxCustomer toApprove = rows.stream().filter(c -> "A".equals(c.get("FDocumentStatus"))).findFirst().orElseThrow();
            SandboxCustomer toForbid = rows.stream().filter(c -> c.id() != toApprove.id()).findFirst().orElseThrow();

            table.approve(toApprove.id());
            table.forbid(toForbid.id());
            await().atMost(WAIT).until(() -> titles(run).contains("客户已禁用：" + toForbid.name()));
            table.enable(toForbid.id());
            await().atMost(WAIT).until(() -> titles(run).contains("客户已启用：" + toForbid.name()));
            assertThat(titles(run)).containsExactlyInAnyOrder("客户已审核：" + toApprove.name(), "客户已禁用：" + toForbid.name(),
                    "客户已启用：" + toForbid.name());
        }
    }

    private static List<String> titles(LocalRun run) {
        return run.dingTalk().inboxes().values().stream().flatMap(List::stream)
                .map(m -> m.msg().path("markdown").path("title").asText()).toList();
    }

    private record Expected(long customerId, String userId, String title, String bodyPart, String number) {
    }

    private static void expect(Map<String, Expected> expected, SandboxCustomer c, String title, String bodyPart) {
        String key = title.startsWith("客户已审核") ? "approve" : title.startsWith("客户资料变更") ? "edit"
                : title.startsWith("客户已禁用") ? "forbid" : "create";
        expected.put(key, new Expected(c.id(), LocalDirectory.userId((String) c.get("FSELLER.FNumber")), title, bodyPart, c.number()));
    }

    private static double rowsIn(LocalRun run) {
        Counter c = run.services().get("transformer").registry().find("kdpipe.transformer.rows.in").counter();
        return c == null ? 0 : c.count();
    }

    private static String get(LocalRun run, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + run.webPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private LocalOptions options() {
        return options(Map.of());
    }

    private LocalOptions options(Map<String, String> extra) {
        return isolated(dataDir, CUSTOMERS, extra);
    }

    /** Options for a local run in {@code dataDir} with its own topics, ids and free ports, and {@code extra} settings. */
    static LocalOptions isolated(Path dataDir, int customers, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("KDPIPE_TOPIC_PREFIX", TestNames.topicPrefix());
        settings.put("KDPIPE_TRANSFORMER_APPLICATION_ID", TestNames.unique("local-transformer"));
        settings.put("KDPIPE_EXTRACTOR_GROUP_ID", TestNames.unique("local-extractor"));
        settings.put("KDPIPE_EXTRACTOR_TRANSACTIONAL_ID_PREFIX", TestNames.unique("local-extractor"));
        settings.put("NOTIFIER_GROUP_ID", TestNames.unique("local-notifier"));
        settings.put("NOTIFIER_TRANSACTIONAL_ID", TestNames.unique("local-notifier"));
        int brokerPort = EmbeddedKafkaBroker.freePort();
        int controllerPort = EmbeddedKafkaBroker.freePort();
        return new LocalOptions(dataDir, false, brokerPort, controllerPort, 0, 0, 0, 0, customers,
                Duration.ofSeconds(1), 0, settings);
    }
}
