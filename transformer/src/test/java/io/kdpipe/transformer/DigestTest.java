package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Notice.Kind;
import io.kdpipe.transformer.digest.PendingChunks;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.serde.InternalSerdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Bursts per recipient group folded into digests on a wall-clock window. */
class DigestTest {

    /** The defaults: a 60 s window, the first notice at once, digests filled up to the message limit. */
    private static final Map<String, String> DEFAULTS = Map.of("KDPIPE_DIGEST_ENABLED", "true");

    private static final Map<String, String> DIGESTS = Map.of(
            "KDPIPE_DIGEST_ENABLED", "true",
            "KDPIPE_DIGEST_WINDOW", "60s",
            "KDPIPE_DIGEST_THRESHOLD", "5",
            "KDPIPE_DIGEST_MAX_ITEMS", "20");

    @Test
    void shouldTellAtOnceAndFoldTheRestOfABulkImportIntoDigestsFilledToTheMessageLimitByDefault() throws Exception {
        try (TransformerHarness h = TransformerHarness.start(DEFAULTS)) {
            List<String> keys = bulkImportForOneSalesperson(h, 800);

            // the first notice of the window goes out at once, unchanged
            List<Notice> early = h.readNotices();
            assertThat(early).singleElement().satisfies(n -> assertThat(n.kind()).isEqualTo(Kind.CREATED));

            h.advance(Duration.ofSeconds(61));
            List<Notice> digests = h.readNotices();
            assertThat(digests).allMatch(n -> n.kind() == Kind.DIGEST);
            // a line is about 52 bytes: 36 fit one message of at most 2048 bytes, so 799 need 23
            assertThat(digests).hasSizeLessThanOrEqualTo(23);
            for (int i = 0; i < digests.size(); i++) {
                Notice d = digests.get(i);
                int bytes = Json.mapper().writeValueAsBytes(d.msg()).length;
                assertThat(bytes).isLessThanOrEqualTo(MessageFitter.MAX_BYTES);
                if (i < digests.size() - 1) {
                    assertThat(bytes).as("filled: another line would not fit").isGreaterThan(MessageFitter.MAX_BYTES - 60);
                }
                assertThat(d.msg().get("markdown").get("text").asText())
                        .startsWith("### 客户变更汇总（" + (i + 1) + "/" + digests.size() + "）\n\n**新客户**\n\n- ")
                        .contains("- 上海华东电子有限公司" + d.customerKeys().get(0).substring(Rows.ACCOUNT.length() + 1) + "（C")
                        .contains("本时段共 799 条")
                        .doesNotContain(MessageFitter.MARKER);
                assertThat(d.recipients().userIds()).containsExactly("zhangwei");
                assertThat(d.recipients().deptIds()).as("the department only when configured").isEmpty();
                assertThat(d.routing()).as("one salesperson: the digest can be re-routed")
                        .isEqualTo(new Notice.Routing(Notice.Kind.CREATED, "XSY007", null, "BM01", List.of()));
            }
            // every customer is told about exactly once, in input order
            List<String> told = new ArrayList<>();
            early.forEach(n -> told.addAll(n.customerKeys()));
            digests.forEach(n -> told.addAll(n.customerKeys()));
            assertThat(told).containsExactlyElementsOf(keys);
            assertThat(h.counter("kdpipe.transformer.digests.out")).isEqualTo(digests.size());
            assertThat(h.counter("kdpipe.transformer.digest.items")).isEqualTo(799);

            // nothing is held once the window is closed
            assertThat(count(h.driver.getKeyValueStore(TransformerTopology.DIGEST_PENDING_STORE))).isZero();
            assertThat(count(h.driver.getKeyValueStore(TransformerTopology.DIGEST_WINDOWS_STORE))).isZero();
        }
    }

    @Test
    void shouldFoldABulkImportOf800CustomersForOneSalespersonInto40DigestsWithThreshold5And20Items() throws Exception {
        try (TransformerHarness h = TransformerHarness.start(DIGESTS)) {
            List<String> keys = bulkImportForOneSalesperson(h, 800);

            // the first 5 of the window go out at once, unchanged
            List<Notice> early = h.readNotices();
            assertThat(early).hasSize(5).allMatch(n -> n.kind() == Kind.CREATED);

            h.advance(Duration.ofSeconds(61));
            List<Notice> digests = h.readNotices();
            // 795 held notices, 20 per digest: 39 full digests and one of 15
            assertThat(digests).hasSize(40).allMatch(n -> n.kind() == Kind.DIGEST);
            assertThat(digests).extracting(n -> n.customerKeys().size()).containsOnly(20, 15).endsWith(15);
            for (int i = 0; i < digests.size(); i++) {
                Notice d = digests.get(i);
                assertThat(Json.mapper().writeValueAsBytes(d.msg()).length).isLessThanOrEqualTo(MessageFitter.MAX_BYTES);
                assertThat(d.msg().get("markdown").get("text").asText())
                        .startsWith("### 客户变更汇总（" + (i + 1) + "/40）")
                        .contains("- " + "上海华东电子有限公司" + d.customerKeys().get(0).substring(Rows.ACCOUNT.length() + 1))
                        .contains("本时段共 795 条")
                        .doesNotContain(MessageFitter.MARKER);
            }
            List<String> told = new ArrayList<>();
            early.forEach(n -> told.addAll(n.customerKeys()));
            digests.forEach(n -> told.addAll(n.customerKeys()));
            assertThat(told).containsExactlyElementsOf(keys);
            assertThat(h.counter("kdpipe.transformer.digests.out")).isEqualTo(40);
            assertThat(h.counter("kdpipe.transformer.digest.items")).isEqualTo(795);
            assertThat(h.counter("kdpipe.transformer.notices.out", "kind", "CREATED")).isEqualTo(5);
        }
    }

    @Test
    void shouldListItemsUnderAHeadingPerKindInTheirOrder() {
        try (TransformerHarness h = TransformerHarness.start(DEFAULTS)) {
            h.person("XSY007", "zhangwei");
            for (int i = 1; i <= 3; i++) {
                h.send(Rows.customer("700" + i));
            }
            h.send(Rows.customer("7001").with("FTEL", "021-5555 0202").minutesLater(1));
            h.send(Rows.customer("7004"));
            h.advance(Duration.ofSeconds(61));

            List<Notice> out = h.readNotices();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).msg().get("markdown").get("text").asText()).contains("""
                    **新客户**

                    - 上海华东电子有限公司7002（C7002）
                    - 上海华东电子有限公司7003（C7003）

                    **客户资料变更**

                    - 上海华东电子有限公司7001（C7001）

                    **新客户**

                    - 上海华东电子有限公司7004（C7004）""");
        }
    }

    @Test
    void shouldLeaveTheKindToAnItemTemplateThatShowsIt() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_NOTICE_FORMAT", "text",
                "KDPIPE_TEMPLATE_DIGEST_ITEM_TEXT", "{{kindLabel}}：{{FName}}"))) {
            h.person("XSY007", "zhangwei");
            for (int i = 1; i <= 3; i++) {
                h.send(Rows.customer("800" + i));
            }
            h.advance(Duration.ofSeconds(61));

            List<Notice> out = h.readNotices();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).msg().get("text").get("content").asText())
                    .contains("新客户：上海华东电子有限公司8002\n新客户：上海华东电子有限公司8003")
                    .doesNotContain("新客户：\n");
        }
    }

    @Test
    void shouldPassSinglesUnchangedWhenAWindowStaysAtOrBelowTheThreshold() {
        try (TransformerHarness h = TransformerHarness.start(DIGESTS)) {
            for (int i = 1; i <= 5; i++) {
                h.send(Rows.customer("300" + i));
            }
            h.advance(Duration.ofSeconds(61));
            h.send(Rows.customer("3006")); // a new window
            h.advance(Duration.ofSeconds(61));

            assertThat(h.readNotices()).hasSize(6).allMatch(n -> n.kind() == Kind.CREATED);
        }
    }

    @Test
    void shouldSendALoneHeldNoticeAsItselfAndKeepGroupsApart() {
        try (TransformerHarness h = TransformerHarness.start(DIGESTS)) {
            h.person("XSY007", "zhangwei");
            h.person("XSY099", "lisi");
            for (int i = 1; i <= 6; i++) {
                h.send(Rows.customer("400" + i));
            }
            for (int i = 1; i <= 3; i++) {
                h.send(Rows.customer("500" + i).with("FSELLER_FNumber", "XSY099"));
            }
            assertThat(h.readNotices()).hasSize(8);

            h.advance(Duration.ofSeconds(61));
            List<Notice> late = h.readNotices();
            assertThat(late).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo(Kind.CREATED);
                assertThat(n.customerKeys()).containsExactly(Rows.key("4006"));
            });
        }
    }

    @Test
    void shouldKeepOnlyTheFirstHeldNoticeOfARunWithItsMessage() throws Exception {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_MAX_PENDING", "3"))) {
            h.person("XSY007", "zhangwei");
            for (int i = 1; i <= 5; i++) {
                h.send(Rows.customer("600" + i));
            }
            // the first passes; the next three are held and, at three, go out early as one digest;
            // the fifth is the first of a new run of held notices
            List<Notice> early = h.readNotices();
            assertThat(early).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.DIGEST);
            assertThat(early.get(1).customerKeys()).containsExactly(Rows.key("6002"), Rows.key("6003"), Rows.key("6004"));
            h.send(Rows.customer("6006"));
            assertThat(heldMessages(h)).as("the first held notice keeps its message, a later one does not")
                    .containsExactly(true, false);

            h.advance(Duration.ofSeconds(61));
            List<Notice> late = h.readNotices();
            assertThat(late).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(Kind.DIGEST);
                assertThat(d.customerKeys()).containsExactly(Rows.key("6005"), Rows.key("6006"));
            });
        }
    }

    @Test
    void shouldSendTheFirstNoticeHeldAfterAnEarlyDigestAsItselfWhenTheWindowEndsWithIt() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_MAX_PENDING", "3"))) {
            h.person("XSY007", "zhangwei");
            for (int i = 1; i <= 5; i++) {
                h.send(Rows.customer("600" + i));
            }
            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED, Kind.DIGEST);

            h.advance(Duration.ofSeconds(61));
            assertThat(h.readNotices()).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo(Kind.CREATED);
                assertThat(n.customerKeys()).containsExactly(Rows.key("6005"));
                assertThat(n.msg().get("markdown").get("text").asText()).contains("6005");
            });
        }
    }

    @Test
    void shouldSendALoneHeldNoticeKeptWithoutItsMessageAsADigestOfOne() {
        try (TransformerHarness h = TransformerHarness.start(DEFAULTS)) {
            h.person("XSY007", "zhangwei");
            h.send(Rows.customer("6101"));
            h.send(Rows.customer("6102"));
            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Kind.CREATED);
            // the one held notice, as it would be kept were it not the first held: without its message
            KeyValueStore<String, byte[]> pending = h.driver.getKeyValueStore(TransformerTopology.DIGEST_PENDING_STORE);
            List<KeyValue<String, byte[]>> held = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = pending.all()) {
                it.forEachRemaining(held::add);
            }
            assertThat(held).singleElement().satisfies(kv -> assertThat(PendingChunks.items(kv.value)).hasSize(1));
            byte[] whole = PendingChunks.items(held.get(0).value).get(0);
            pending.put(held.get(0).key, PendingChunks.append(null, InternalSerdes.decodeHead(whole).withoutMessage()));

            h.advance(Duration.ofSeconds(61));
            // never sent with a null message: listed in a digest by its digest line
            assertThat(h.readNotices()).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(Kind.DIGEST);
                assertThat(d.customerKeys()).containsExactly(Rows.key("6102"));
                assertThat(d.msg().get("markdown").get("text").asText()).contains("6102");
            });
        }
    }

    /** Per notice held (in order): whether it is kept with its message. */
    private static List<Boolean> heldMessages(TransformerHarness h) {
        KeyValueStore<String, byte[]> pending = h.driver.getKeyValueStore(TransformerTopology.DIGEST_PENDING_STORE);
        List<Boolean> withMessage = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            while (it.hasNext()) {
                for (byte[] item : PendingChunks.items(it.next().value)) {
                    JsonNode msg = InternalSerdes.ROUTED_NOTICE.decode(item).notice().msg();
                    withMessage.add(!msg.isNull());
                }
            }
        }
        return withMessage;
    }

    @Test
    void shouldSendTheLargestGroupsDigestsEarlyWhenTheInstanceHoldsMoreThanItsBound() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_DIGEST_ENABLED", "true", "KDPIPE_DIGEST_MAX_HELD_KB", "16"))) {
            h.person("XSY007", "zhangwei");
            h.person("XSY099", "lisi");
            List<String> few = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                few.add(Rows.key("500" + i));
                h.send(Rows.customer("500" + i).with("FSELLER_FNumber", "XSY099"));
            }
            List<String> many = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                String id = String.valueOf(20_000 + i);
                many.add(Rows.key(id));
                h.send(Rows.customer(id));
            }
            // far below KDPIPE_DIGEST_MAX_PENDING, so only the bound on bytes sends digests before the window ends
            List<Notice> early = h.readNotices();
            assertThat(early).filteredOn(n -> n.kind() == Kind.DIGEST).isNotEmpty()
                    .allSatisfy(d -> assertThat(d.recipients().userIds()).containsExactly("zhangwei"));
            assertThat(h.counter("kdpipe.transformer.digests.early", "reason", "max-held")).isPositive();
            assertThat(h.registry.get("kdpipe.transformer.digest.held.bytes").gauge().value()).isPositive().isLessThanOrEqualTo(16 * 1024);

            h.advance(Duration.ofSeconds(61));
            List<Notice> all = new ArrayList<>(early);
            all.addAll(h.readNotices());
            // the small group waited for its window; nobody is told twice or left out
            assertThat(all).filteredOn(n -> n.recipients().userIds().contains("lisi")).extracting(Notice::kind)
                    .containsExactly(Kind.CREATED, Kind.DIGEST);
            assertThat(all).filteredOn(n -> n.recipients().userIds().contains("lisi"))
                    .flatExtracting(Notice::customerKeys).containsExactlyElementsOf(few);
            assertThat(all).filteredOn(n -> n.recipients().userIds().contains("zhangwei"))
                    .flatExtracting(Notice::customerKeys).containsExactlyElementsOf(many);
            assertThat(h.registry.get("kdpipe.transformer.digest.held.bytes").gauge().value()).isZero();
        }
    }

    @Test
    void shouldPassEverythingThroughWhenDigestsAreOff() {
        try (TransformerHarness h = TransformerHarness.start()) {
            for (int i = 1; i <= 50; i++) {
                h.send(Rows.customer("600" + i));
            }
            assertThat(h.readNotices()).hasSize(50).allMatch(n -> n.kind() == Kind.CREATED);
        }
    }

    private static long count(KeyValueStore<String, ?> store) {
        long n = 0;
        try (KeyValueIterator<String, ?> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Directory entries for salesperson XSY007 (zhangwei, department 4021), then {@code n} new customers of theirs; their keys in input order. */
    private static List<String> bulkImportForOneSalesperson(TransformerHarness h, int n) {
        h.person("XSY007", "zhangwei");
        h.department("BM01", 4021);
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String id = String.valueOf(20_000 + i);
            keys.add(Rows.key(id));
            h.send(Rows.customer(id));
        }
        return keys;
    }
}
