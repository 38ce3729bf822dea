package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

class ContractsTest {

    /** What each contract's codec does, shown on its sample value. */
    @Nested
    @ParameterizedClass(name = "{0}")
    @MethodSource("contracts")
    class EachContract<T extends Versioned> {

        static List<Samples.Case<?>> contracts() {
            return Samples.all();
        }

        private final Samples.Case<T> c;

        EachContract(Samples.Case<T> c) {
            this.c = c;
        }

        @Test
        void shouldRoundTripThroughItsSerde() {
            byte[] bytes = c.codec().serde().serializer().serialize("t", c.value());

            T back = c.codec().serde().deserializer().deserialize("t", bytes);

            assertThat(back).isEqualTo(c.value());
            assertThat(new String(c.codec().encode(back), StandardCharsets.UTF_8)).as("same value, same bytes")
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }

        @Test
        void shouldTolerateUnknownFields() throws Exception {
            ObjectNode tree = encoded(c);
            tree.put("addedByANewerWriter", "whatever");

            assertThat(c.codec().decode(bytes(tree))).isEqualTo(c.value());
        }

        @Test
        void shouldGiveTypedErrorForMalformedJson() {
            for (String garbage : List.of("{not json", "", "[1,2]", "\"text\"", "{\"schemaVersion\":1,")) {
                Decoded<T> decoded = c.codec().tryDecode(garbage.getBytes(StandardCharsets.UTF_8));

                assertThat(decoded).as(garbage).isInstanceOf(Decoded.Failed.class);
                assertThat(((Decoded.Failed<T>) decoded).error().reason()).as(garbage)
                        .isIn(ContractException.Reason.MALFORMED, ContractException.Reason.INVALID);
            }
            assertThatThrownBy(() -> c.codec().decode(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}))
                    .isInstanceOf(ContractException.class)
                    .hasMessageContaining("not valid UTF-8");
        }

        @Test
        void shouldRefuseWrongVersionNamingIt() throws Exception {
            ObjectNode tree = encoded(c);
            tree.put("schemaVersion", 7);

            assertThatThrownBy(() -> c.codec().decode(bytes(tree)))
                    .isInstanceOfSatisfying(ContractException.class,
                            e -> assertThat(e.reason()).isEqualTo(ContractException.Reason.UNSUPPORTED_VERSION))
                    .hasMessageContaining("schemaVersion 7")
                    .hasMessageContaining("knows " + c.codec().version());

            tree.remove("schemaVersion");
            assertThatThrownBy(() -> c.codec().decode(bytes(tree)))
                    .isInstanceOf(ContractException.class)
                    .hasMessageContaining("no schemaVersion");
        }

        @Test
        void shouldRefuseValueMissingARequiredField() throws Exception {
            ObjectNode tree = encoded(c);
            String field = tree.has("id") ? "id" : tree.has("noticeId") ? "noticeId" : tree.has("jobId") ? "jobId"
                    : tree.has("number") ? "number" : "account";
            tree.remove(field);

            Decoded<T> decoded = c.codec().tryDecode(bytes(tree));

            assertThat(decoded).isInstanceOfSatisfying(Decoded.Failed.class, f -> {
                assertThat(f.error().reason()).isEqualTo(ContractException.Reason.INVALID);
                assertThat(f.error().getMessage()).contains(field);
            });
        }

        @Test
        void shouldPassTombstonesThroughAsNull() {
            assertThat(c.codec().serde().deserializer().deserialize("t", null)).isNull();
            assertThat(c.codec().serde().serializer().serialize("t", null)).isNull();
        }
    }

    @Test
    void shouldKeepKingdeeDecimalsExactAndReadTextFields() {
        CustomerRow row = CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(Samples.row()));

        assertThat(row.text("FMarginLevel")).isEqualTo("0.150");
        assertThat(row.text("FName")).isEqualTo("上海华东电子有限公司");
        assertThat(row.text("FDescription")).isNull();
        assertThat(row.text("NoSuchField")).isNull();
        assertThat(row.key()).isEqualTo("5867f8d847e804:100231");
    }

    /** The case's value as its codec writes it, as a tree to change. */
    private static <T extends Versioned> ObjectNode encoded(Samples.Case<T> c) throws IOException {
        return (ObjectNode) Json.mapper().readTree(c.codec().encode(c.value()));
    }

    private static byte[] bytes(ObjectNode tree) throws IOException {
        return Json.mapper().writeValueAsBytes(tree);
    }
}
