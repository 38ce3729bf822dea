package io.kdpipe.transformer.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.CustomerRow;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static final Instant T = Instant.parse("2026-11-28T02:00:00Z");

    private static CustomerRow row(Instant modified, String field, JsonNode value) {
        Map<String, JsonNode> fields = new TreeMap<>();
        fields.put("FName", TextNode.valueOf("上海华东电子有限公司"));
        fields.put("FMarginLevel", DecimalNode.valueOf(new BigDecimal("0.150")));
        fields.put("FDescription", NullNode.getInstance());
        fields.put("FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 0001").add("6222 0002"));
        fields.put("FModifyDate", TextNode.valueOf(modified.toString()));
        if (field != null) {
            fields.put(field, value);
        }
        return CustomerRow.of("acct", "BD_Customer", "1", modified, modified, CustomerRow.Phase.INCREMENTAL, fields);
    }

    @Test
    void shouldIgnoreModifyDateAndSeeEveryOtherField() {
        Fingerprint f = new Fingerprint();
        String base = f.of(row(T, null, null));

        assertThat(base).startsWith(Fingerprint.SCHEME).hasSize(Fingerprint.SCHEME.length() + 32);
        assertThat(f.of(row(T.plusSeconds(60), null, null))).isEqualTo(base);
        assertThat(new Fingerprint().of(row(T, null, null))).isEqualTo(base);
        assertThat(f.of(row(T, "FTEL", TextNode.valueOf("021")))).isNotEqualTo(base);
        assertThat(f.of(row(T, "FMarginLevel", DecimalNode.valueOf(new BigDecimal("0.15"))))).isNotEqualTo(base);
        assertThat(f.of(row(T, "FDescription", TextNode.valueOf("")))).isNotEqualTo(base);
        // a name and a value cannot be shifted into each other
        assertThat(f.of(row(T, "FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 00016222 0002"))))
                .isNotEqualTo(base);
    }

    @Test
    void shouldFingerprintARowReadFromItsBytesAsTheRowItself() {
        Map<String, JsonNode> fields = new TreeMap<>();
        fields.put("FName", TextNode.valueOf("上海华东电子有限公司"));
        fields.put("FADDRESS", TextNode.valueOf("上海市浦东新区张江路 88 号"));
        fields.put("FTEL", TextNode.valueOf(""));
        fields.put("FDescription", NullNode.getInstance());
        fields.put("FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 0001").add("6222 0002"));
        fields.put("FCreditAmount", LongNode.valueOf(1_000_000_000_000L));
        fields.put("FIsTrade", BooleanNode.TRUE);
        fields.put("FCOUNTRY1", JsonNodeFactory.instance.arrayNode());
        fields.put("FModifyDate", TextNode.valueOf(T.toString()));
        CustomerRow row = CustomerRow.of("acct", "BD_Customer", "1", T, T, CustomerRow.Phase.INCREMENTAL, fields);
        Fingerprint f = new Fingerprint();
        String expected = f.of(row);

        CustomerRow read = CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(row));
        assertThat(f.of(read)).isEqualTo(expected);
        read.text("FName"); // a text already made
        assertThat(f.of(read)).isEqualTo(expected);
        // the read row hands its text over as bytes, which is what is fingerprinted here
        int[] texts = {0};
        read.forEachField(new CustomerRow.FieldVisitor() {
            @Override
            public void value(String name, JsonNode value) {
            }

            @Override
            public void text(String name, byte[] utf8, int offset, int length) {
                texts[0]++;
            }
        });
        assertThat(texts[0]).isEqualTo(4);
        fields.put("FTEL", TextNode.valueOf("0"));
        assertThat(f.of(CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(
                CustomerRow.of("acct", "BD_Customer", "1", T, T, CustomerRow.Phase.INCREMENTAL, fields))))).isNotEqualTo(expected);
        // a field more shifts every name after it: the instance that saw the rows before agrees with a new one
        fields.put("FAAA", NullNode.getInstance());
        CustomerRow shifted = CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(
                CustomerRow.of("acct", "BD_Customer", "1", T, T, CustomerRow.Phase.INCREMENTAL, fields)));
        assertThat(f.of(shifted)).isEqualTo(new Fingerprint().of(shifted));
    }

    @Test
    void shouldTellSchemesApart() {
        CustomerRow row = row(T, null, null);

        assertThat(Fingerprint.scheme(new Fingerprint().of(row))).isEqualTo(Fingerprint.Scheme.CURRENT);
        assertThat(Fingerprint.scheme(Fingerprint.legacy(row))).isEqualTo(Fingerprint.Scheme.LEGACY);
        assertThat(Fingerprint.scheme("zz:1")).isEqualTo(Fingerprint.Scheme.UNKNOWN);
        assertThat(Fingerprint.scheme(null)).isEqualTo(Fingerprint.Scheme.UNKNOWN);
    }

    @Test
    void shouldCompareAStoredLegacyFingerprintWithTheLegacyFingerprintOfTheNewRow() {
        CustomerRow before = row(T, null, null);
        CustomerState legacy = withFingerprint(before, Fingerprint.legacy(before));
        CustomerRow saved = row(T.plusSeconds(60), null, null);
        CustomerRow moved = row(T.plusSeconds(60), "FTEL", TextNode.valueOf("021"));
        Fingerprint f = new Fingerprint();

        assertThat(Fingerprint.unwatchedFieldsMoved(legacy, f.of(saved), saved)).isFalse();
        assertThat(Fingerprint.unwatchedFieldsMoved(legacy, f.of(moved), moved)).isTrue();
        assertThat(Fingerprint.unwatchedFieldsMoved(withFingerprint(before, "zz:1"), f.of(moved), moved)).isFalse();
        assertThat(Fingerprint.unwatchedFieldsMoved(CustomerState.of(before, List.of("FName")), f.of(moved), moved)).isTrue();
    }

    /** Stored states hold this scheme: its bytes are frozen, so the vector is pinned (computed by its first implementation). */
    @Test
    void shouldKeepTheCurrentSchemeByteForByte() {
        assertThat(new Fingerprint().of(row(T, "FTEL", TextNode.valueOf("021-5555 0101")))).isEqualTo("f2:1c294e2a93b90ceed567c1052349060f");
    }

    private static CustomerState withFingerprint(CustomerRow row, String fingerprint) {
        CustomerState s = CustomerState.of(row, List.of("FName"));
        return new CustomerState(s.schemaVersion(), s.modifiedAt(), s.watched(), s.documentStatus(), s.forbidStatus(), fingerprint);
    }
}
