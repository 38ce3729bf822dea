package io.kdpipe.transformer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.transformer.binary.Binary;
import io.kdpipe.transformer.binary.ByteSink;
import io.kdpipe.transformer.binary.ByteSource;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Versioned;
import io.kdpipe.transformer.change.CustomerState;
import io.kdpipe.transformer.digest.DigestWindow;
import io.kdpipe.transformer.digest.EncodedNotice;
import io.kdpipe.transformer.notice.RoutedNotice;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

    private static final Instant T = Instant.parse("2026-11-28T02:02:03.583123Z");

    static CustomerState state() {
        Map<String, String> watched = new HashMap<>();
        watched.put("FName", "上海华东电子有限公司");
        watched.put("FTEL", null);
        return new CustomerState(CustomerState.VERSION, T, watched, "C", null, "f2:00112233445566778899aabbccddeeff");
    }

    static RoutedNotice routed(String replayOf) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode().put("msgtype", "markdown");
        msg.putObject("markdown").put("title", "客户变更").put("text", "### 客户变更\n- 名称：旧 → 新");
        Notice notice = new Notice(Notice.VERSION, "n-0123456789abcdef", Notice.Kind.CHANGED, List.of("acct:100231"),
                new Notice.Recipients(List.of("u1", "u2"), List.of("42"), List.of("person:XSY9")), msg,
                new Notice.Provenance("kingdee.customers.v1", 3, 123_456_789L, T, replayOf), T.plusSeconds(1));
        return RoutedNotice.of(notice, "- 上海华东电子有限公司：名称");
    }

    @Test
    void shouldRoundTripEveryInternalValueInTheBinaryFormat() {
        DigestWindow window = new DigestWindow(DigestWindow.VERSION, 1_700_000_000_000L, 7, 3, 2);

        assertThat(roundTrip(InternalSerdes.CUSTOMER_STATE, state())).isEqualTo(state());
        assertThat(roundTrip(InternalSerdes.ROUTED_NOTICE, routed(null))).isEqualTo(routed(null));
        assertThat(roundTrip(InternalSerdes.ROUTED_NOTICE, routed("n-original"))).isEqualTo(routed("n-original"));
        assertThat(roundTrip(InternalSerdes.DIGEST_WINDOW, window)).isEqualTo(window);
        Notice plain = routed(null).notice();
        RoutedNotice withRouting = RoutedNotice.of(plain.rerouted(plain.recipients(), new Notice.Routing(Notice.Kind.CHANGED,
                "XSY014", "XSY022", null, List.of("salesperson XSY022 is not in the directory"))), "- 行");
        assertThat(roundTrip(InternalSerdes.ROUTED_NOTICE, withRouting)).isEqualTo(withRouting);
    }

    @Test
    void shouldReadAStateWhoseWatchedFieldsAreNotInOrder() throws Exception {
        ByteSink out = new ByteSink(256);
        out.writeByte(InternalSerde.BINARY_V1);
        out.writeInt(CustomerState.VERSION);
        Binary.writeInstant(out, T);
        out.writeInt(3);
        for (String s : new String[] {"FTEL", "021", "FName", "名字", "FTEL", "022"}) {
            Binary.writeString(out, s);
        }
        Binary.writeString(out, "C");
        Binary.writeString(out, null);
        Binary.writeString(out, "f2:00112233445566778899aabbccddeeff");

        CustomerState read = InternalSerdes.CUSTOMER_STATE.decode(Arrays.copyOf(out.buffer(), out.size()));

        assertThat(read.watched()).containsExactly(Map.entry("FName", "名字"), Map.entry("FTEL", "022"));
        assertThat(read.documentStatus()).isEqualTo("C");
        assertThat(read.forbidStatus()).isNull();
    }

    @Test
    void shouldReadRoutedNoticesWrittenBeforeNoticesCarriedRouting() {
        byte[] withRouting = InternalSerdes.ROUTED_NOTICE.encode(routed(null));
        // a notice without routing writes nothing after createdAt: exactly the earlier layout
        assertThat(InternalSerdes.ROUTED_NOTICE.decode(withRouting).notice().routing()).isNull();
    }

    @Test
    void shouldWriteAFormatByteAndFewerBytesThanJson() {
        byte[] binary = InternalSerdes.ROUTED_NOTICE.encode(routed(null));

        assertThat(binary[0]).isEqualTo(InternalSerde.BINARY_V1);
        assertThat(binary.length).isLessThan(RoutedNotice.CODEC.encode(routed(null)).length);
        assertThat(InternalSerdes.CUSTOMER_STATE.encode(state()).length).isLessThan(CustomerState.CODEC.encode(state()).length);
    }

    @Test
    void shouldReadTheJsonValuesEarlierVersionsWrote() {
        DigestWindow window = new DigestWindow(DigestWindow.VERSION, 1L, 2, 3, 4);

        assertThat(InternalSerdes.CUSTOMER_STATE.serde().deserializer().deserialize("t", CustomerState.CODEC.encode(state())))
                .isEqualTo(state());
        assertThat(InternalSerdes.ROUTED_NOTICE.decode(RoutedNotice.CODEC.encode(routed(null)))).isEqualTo(routed(null));
        assertThat(InternalSerdes.DIGEST_WINDOW.decode(DigestWindow.CODEC.encode(window))).isEqualTo(window);
    }

    @Test
    void shouldPassTombstonesAndRefuseUnknownOrCutValues() {
        assertThat(InternalSerdes.CUSTOMER_STATE.serde().deserializer().deserialize("t", null)).isNull();
        assertThat(InternalSerdes.CUSTOMER_STATE.serde().serializer().serialize("t", null)).isNull();
        byte[] bytes = InternalSerdes.CUSTOMER_STATE.encode(state());

        assertThatThrownBy(() -> InternalSerdes.CUSTOMER_STATE.decode(new byte[] {9, 1, 2})).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown format byte 9");
        assertThatThrownBy(() -> InternalSerdes.CUSTOMER_STATE.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("truncated or corrupt");
        assertThatThrownBy(() -> InternalSerdes.CUSTOMER_STATE.decode(new byte[0])).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldKeepEveryKindOfJsonValueWithItsExactNumbersAndPropertyOrder() throws Exception {
        ObjectNode node = everyKindOfJson();
        var out = new ByteArrayOutputStream();
        Binary.writeJson(new DataOutputStream(out), node);

        JsonNode back = Binary.readJson(new DataInputStream(new ByteArrayInputStream(out.toByteArray())));

        assertThat(back).isEqualTo(node);
        assertThat(back.toString()).isEqualTo(node.toString());
        assertThat(back.get("decimal").decimalValue().scale()).isEqualTo(3);
    }

    @Test
    void shouldReadAllButTheMessageAndRefuseWhatTheWholeDecodeRefuses() throws Exception {
        Notice plain = routed(null).notice();
        ObjectNode everyKind = everyKindOfJson();
        for (RoutedNotice routed : List.of(routed(null), routed("n-original"),
                RoutedNotice.of(new Notice(plain.schemaVersion(), plain.id(), plain.kind(), plain.customerKeys(), plain.recipients(),
                        everyKind, plain.provenance(), plain.createdAt(), new Notice.Routing(Notice.Kind.CHANGED, "XSY014", null,
                        "D1", List.of("note"))), "- 行"))) {
            byte[] bytes = InternalSerdes.ROUTED_NOTICE.encode(routed);
            RoutedNotice head = InternalSerdes.decodeWithoutMessage(bytes);

            Notice n = routed.notice();
            assertThat(head).isEqualTo(new RoutedNotice(routed.schemaVersion(), new Notice(n.schemaVersion(), n.id(), n.kind(),
                    n.customerKeys(), n.recipients(), MissingNode.getInstance(), n.provenance(), n.createdAt(), n.routing()),
                    routed.digestLine()));
            // every cut that the whole decode refuses, this one refuses too (and only those)
            for (int cut = 1; cut < bytes.length; cut++) {
                byte[] shorter = Arrays.copyOf(bytes, cut);
                boolean wholeRefuses = refuses(() -> InternalSerdes.ROUTED_NOTICE.decode(shorter));
                assertThat(refuses(() -> InternalSerdes.decodeWithoutMessage(shorter))).as("cut at %d", cut).isEqualTo(wholeRefuses);
            }
        }
        // JSON written by earlier versions is read whole
        assertThat(InternalSerdes.decodeWithoutMessage(RoutedNotice.CODEC.encode(routed(null)))).isEqualTo(routed(null));
    }

    @Test
    void shouldKeepANoticeWithoutItsMessageByCuttingTheMessageOutOfItsBytes() throws Exception {
        Notice plain = routed(null).notice();
        for (RoutedNotice routed : List.of(routed(null), routed("n-original"),
                RoutedNotice.of(new Notice(plain.schemaVersion(), plain.id(), plain.kind(), plain.customerKeys(), plain.recipients(),
                        everyKindOfJson(), plain.provenance(), plain.createdAt(), new Notice.Routing(Notice.Kind.CHANGED, "XSY014",
                        null, "D1", List.of("note"))), "- 行"))) {
            byte[] bytes = InternalSerdes.ROUTED_NOTICE.encode(routed);
            EncodedNotice head = InternalSerdes.decodeHead(bytes);
            assertThat(head.head()).isEqualTo(InternalSerdes.decodeWithoutMessage(bytes));

            byte[] without = head.withoutMessage();
            Notice n = routed.notice();
            RoutedNotice nullMessage = new RoutedNotice(routed.schemaVersion(), new Notice(n.schemaVersion(), n.id(), n.kind(),
                    n.customerKeys(), n.recipients(), NullNode.getInstance(), n.provenance(), n.createdAt(), n.routing()),
                    routed.digestLine());
            // the very bytes of the notice encoded with a null message
            assertThat(without).isEqualTo(InternalSerdes.ROUTED_NOTICE.encode(nullMessage));
            assertThat(InternalSerdes.ROUTED_NOTICE.decode(without)).isEqualTo(nullMessage);
            assertThat(InternalSerdes.decodeWithoutMessage(without)).isEqualTo(head.head());
        }
        // JSON written by earlier versions: kept as it is, message and all
        byte[] json = RoutedNotice.CODEC.encode(routed(null));
        assertThat(InternalSerdes.decodeHead(json).withoutMessage()).isSameAs(json);
    }

    @Test
    void shouldSkipEveryKindOfJsonValueExactlyAsFarAsItIsRead() throws Exception {
        ObjectNode node = everyKindOfJson();
        var out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        Binary.writeJson(data, node);
        data.writeInt(0x5EED);
        byte[] bytes = out.toByteArray();

        var in = new ByteSource(bytes, 0, bytes.length);
        Binary.skipJson(in);

        assertThat(in.readInt()).isEqualTo(0x5EED);
        byte[] badDecimal = {4, 0, 0, 0, 1, 'x'};
        assertThatThrownBy(() -> Binary.skipJson(new ByteSource(badDecimal, 0, badDecimal.length)))
                .isInstanceOf(NumberFormatException.class);
        byte[] unknownTag = {42};
        assertThatThrownBy(() -> Binary.skipJson(new ByteSource(unknownTag, 0, 1)))
                .hasMessageContaining("unknown JSON tag 42");
    }

    /** An object with a value of every kind {@code Binary.writeJson} tells apart, in an order that is not sorted. */
    private static ObjectNode everyKindOfJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("z", "文字").put("a", 1).put("long", 1L << 40).put("decimal", new BigDecimal("0.150"))
                .put("big", new BigInteger("123456789012345678901234567890")).put("double", 1.5).put("yes", true).put("no", false)
                .putNull("nothing");
        node.putArray("list").add("x").add(2).addObject().put("k", "v");
        return node;
    }

    private static boolean refuses(Runnable decode) {
        try {
            decode.run();
            return false;
        } catch (SerializationException e) {
            return true;
        }
    }

    private static <T extends Versioned> T roundTrip(InternalSerde<T> serde, T value) {
        return serde.serde().deserializer().deserialize("t", serde.serde().serializer().serialize("t", value));
    }
}
