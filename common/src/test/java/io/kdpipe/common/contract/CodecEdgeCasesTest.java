package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Values the one-pass decoding must leave to the careful one, which refuses them as before. */
class CodecEdgeCasesTest {

    private static final Codec<CustomerRow> CODEC = CustomerRow.CODEC;

    @Test
    void shouldRefuseAVersionThatIsNotAJsonInteger() throws Exception {
        for (String v : new String[] {"\"1\"", "true", "null", "[1]", "{\"v\":1}"}) {
            String json = withVersion(v);

            assertThat(reason(json.getBytes(StandardCharsets.UTF_8))).as(v).isEqualTo(ContractException.Reason.UNSUPPORTED_VERSION);
        }
    }

    @Test
    void shouldReadTheTopLevelVersionNotANestedOne() throws Exception {
        ObjectNode tree = tree();
        tree.remove("schemaVersion");
        ((ObjectNode) tree.get("fields")).putObject("FNested").put("schemaVersion", 1);

        assertThat(reason(Json.mapper().writeValueAsBytes(tree))).isEqualTo(ContractException.Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRefuseABomOrUtf16AsBeforeAndStillReadPlainValues() throws Exception {
        byte[] plain = CODEC.encode(Samples.row());
        byte[] bom = new byte[plain.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, bom, 3, plain.length);
        byte[] utf16 = new String(plain, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);

        assertThat(reason(bom)).isEqualTo(ContractException.Reason.MALFORMED);
        assertThat(reason(utf16)).isEqualTo(ContractException.Reason.MALFORMED);
        assertThat(CODEC.decode(plain)).isEqualTo(Samples.row());
    }

    @Test
    void shouldTakeTheLastOfTwoVersionsLikeTheTree() throws Exception {
        String json = new String(CODEC.encode(Samples.row()), StandardCharsets.UTF_8);
        String twice = "{\"schemaVersion\":7," + json.substring(1);

        assertThat(CODEC.decode(twice.getBytes(StandardCharsets.UTF_8))).isEqualTo(Samples.row());
        String wrongLast = json.substring(0, json.length() - 1) + ",\"schemaVersion\":7}";
        assertThat(reason(wrongLast.getBytes(StandardCharsets.UTF_8))).isEqualTo(ContractException.Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRefuseANumberTooLargeToHoldAsMalformedNotThrowSomethingElse() {
        String json = new String(CODEC.encode(Samples.row()), StandardCharsets.UTF_8);
        String huge = json.replace("\"fields\":{", "\"fields\":{\"AHuge\":1e9012345678901234567890,");
        assertThat(huge).isNotEqualTo(json);

        Decoded<CustomerRow> decoded = CODEC.tryDecode(huge.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOf(Decoded.Failed.class);
        assertThat(((Decoded.Failed<CustomerRow>) decoded).error().reason()).isEqualTo(ContractException.Reason.MALFORMED);
    }

    private static ObjectNode tree() throws Exception {
        return (ObjectNode) Json.mapper().readTree(CODEC.encode(Samples.row()));
    }

    private static String withVersion(String literal) throws Exception {
        ObjectNode tree = tree();
        tree.put("schemaVersion", 424242);
        return Json.mapper().writeValueAsString(tree).replace("424242", literal);
    }

    private static ContractException.Reason reason(byte[] bytes) {
        Decoded<CustomerRow> decoded = CODEC.tryDecode(bytes);
        assertThat(decoded).isInstanceOf(Decoded.Failed.class);
        return ((Decoded.Failed<CustomerRow>) decoded).error().reason();
    }
}
