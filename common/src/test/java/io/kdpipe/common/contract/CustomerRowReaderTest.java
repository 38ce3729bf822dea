package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class CustomerRowReaderTest {

    /** The codec as it is without a fast reader: bean binding through the shared mapper, and its errors. */
    private static final Codec<CustomerRow> GENERAL = new Codec<>(CustomerRow.class, CustomerRow.VERSION);

    @Test
    void shouldReadWhatTheWriterWritesAsTheSharedMapperReadsIt() throws Exception {
        for (CustomerRow row : rows()) {
            byte[] bytes = CustomerRow.CODEC.encode(row);
            CustomerRow read = CustomerRowReader.read(bytes);
            assertThat(read).as(new String(bytes, StandardCharsets.UTF_8)).isNotNull();
            CustomerRow mapped = Json.mapper().readValue(bytes, CustomerRow.class);
            assertThat(read).isEqualTo(mapped);
            assertThat(read.fields()).containsExactlyEntriesOf(mapped.fields());
            // node for node, of the same kinds (a DecimalNode stays one, with its scale)
            read.fields().forEach((name, value) -> assertThat(value.getClass()).as(name).isEqualTo(mapped.fields().get(name).getClass()));
            assertThat(CustomerRow.CODEC.encode(read)).isEqualTo(CustomerRow.CODEC.encode(mapped));
        }
    }

    @Test
    void shouldLeaveToTheGeneralWayWhatItDoesNotReadExactly() {
        String row = new String(CustomerRow.CODEC.encode(rows().get(0)), StandardCharsets.UTF_8);
        List<String> others = List.of(
                row.replace("\"account\":", "\"extra\":1,\"account\":"),                  // an unknown property
                row.replace("\"form\":\"BD_Customer\",", "\"form\":\"BD_Customer\",\"form\":\"X\","), // a repeated one
                row.replace("\"form\":\"BD_Customer\",", ""),                              // a missing one
                row.replace("\"customerId\":\"100231\"", "\"customerId\":100231"),        // text as a number
                row.replace("\"phase\":\"SNAPSHOT\"", "\"phase\":\"snapshot\""),
                row.replace("\"phase\":\"SNAPSHOT\"", "\"phase\":0"),
                row.replace("03.583Z\",\"phase\"", "03.583+00:00\",\"phase\""),            // an instant in another form
                row.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""),
                row.replace("\"schemaVersion\":1", "\"schemaVersion\":1.0"),
                row.replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
                row.replace("{\"FBANKCODE\"", "{\"a_lower\":\"x\",\"FBANKCODE\""),          // fields out of order
                row.replace("\"FCUSTID\":100231,", "\"FCUSTID\":100231,\"FCUSTID\":7,"),   // a repeated field
                row + " {}",
                row + " x");
        for (String other : others) {
            byte[] bytes = other.getBytes(StandardCharsets.UTF_8);
            assertThat(other).isNotEqualTo(row);
            CustomerRow read = CustomerRowReader.read(bytes);
            // another version is read, and refused by the codec
            assertThat(read == null || read.schemaVersion() != CustomerRow.VERSION).as(other).isTrue();
            assertSameOutcome(bytes);
        }
    }

    @Test
    void shouldDecodeAndRefuseExactlyAsTheCodecWithoutItForMangledRows() {
        List<byte[]> samples = new ArrayList<>();
        rows().forEach(r -> samples.add(CustomerRow.CODEC.encode(r)));
        assertSameOutcomeWhenMangled(samples, new SplittableRandom(20261206), 20_000);
    }

    /** {@link #assertSameOutcome} for {@code n} copies of the samples, each with one or two bytes changed at random. */
    static void assertSameOutcomeWhenMangled(List<byte[]> samples, SplittableRandom random, int n) {
        byte[] punctuation = "\"{}[],:0123456789.eE-+ntrufalsZT\\ ".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) {
            byte[] bytes = samples.get(random.nextInt(samples.size())).clone();
            int edits = random.nextInt(1, 3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(bytes.length);
                bytes[at] = random.nextInt(4) == 0 ? (byte) random.nextInt(1, 256) : punctuation[random.nextInt(punctuation.length)];
            }
            assertSameOutcome(bytes);
        }
    }

    @Test
    void shouldShareOneLayoutAmongRowsWithTheSameFields() {
        List<CustomerRow> rows = rows();
        CustomerRow first = CustomerRowReader.read(CustomerRow.CODEC.encode(rows.get(0)));
        CustomerRow second = CustomerRowReader.read(CustomerRow.CODEC.encode(rows.get(1)));
        assertThat(first.fields().keySet()).containsExactlyElementsOf(second.fields().keySet());
        assertThat(first.text("FName")).isEqualTo(rows.get(0).text("FName"));
        assertThat(second.fields().get("FNotThere")).isNull();
    }

    /** The codec decodes {@code bytes} to the same row, or refuses them with the same error, as the codec without a fast reader. */
    static void assertSameOutcome(byte[] bytes) {
        Decoded<CustomerRow> fast = CustomerRow.CODEC.tryDecode(bytes);
        Decoded<CustomerRow> general = GENERAL.tryDecode(bytes);
        String as = new String(bytes, StandardCharsets.UTF_8);
        if (general instanceof Decoded.Ok<CustomerRow> ok) {
            assertThat(fast).as(as).isInstanceOf(Decoded.Ok.class);
            assertThat(((Decoded.Ok<CustomerRow>) fast).value()).as(as).isEqualTo(ok.value());
        } else {
            Decoded.Failed<CustomerRow> failed = (Decoded.Failed<CustomerRow>) general;
            assertThat(fast).as(as).isInstanceOf(Decoded.Failed.class);
            ContractException error = ((Decoded.Failed<CustomerRow>) fast).error();
            assertThat(error.reason()).as(as).isEqualTo(failed.error().reason());
            assertThat(error.getMessage()).as(as).isEqualTo(failed.error().getMessage());
        }
    }

    private static List<CustomerRow> rows() {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("FNumber", TextNode.valueOf("CUST00012"));
        fields.put("FName", TextNode.valueOf("上海华东电子有限公司 \"总部\" \\ \n\t\u0001 😀"));
        fields.put("FCUSTID", LongNode.valueOf(100231));
        fields.put("FBig", LongNode.valueOf(Long.MAX_VALUE));
        fields.put("FHuge", JsonNodeFactory.instance.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
        fields.put("FNested", JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.arrayNode().add(1).add(false))
                .add(JsonNodeFactory.instance.objectNode().put("k", 2.5)).add(-3L).add(1.5e300));
        fields.put("FMarginLevel", DecimalNode.valueOf(new BigDecimal("0.150")));
        fields.put("FCreditAmount", DecimalNode.valueOf(new BigDecimal("1E+3")));
        fields.put("FIsTrade", BooleanNode.TRUE);
        fields.put("FDescription", NullNode.getInstance());
        fields.put("FEmpty", TextNode.valueOf(""));
        fields.put("FModifyDate", TextNode.valueOf("2026-11-28T10:02:03.583+08:00"));
        fields.put("FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 0001").addNull().add(new BigDecimal("2.50")));
        fields.put("FContact", JsonNodeFactory.instance.objectNode().put("b", 1).put("a", "x"));
        fields.put("FUseOrgId_FNumber", TextNode.valueOf("101"));
        fields.put("a_lower", TextNode.valueOf("sorted after upper case"));
        Map<String, JsonNode> other = new LinkedHashMap<>(fields);
        other.put("FName", TextNode.valueOf("Acme"));
        other.put("FCUSTID", LongNode.valueOf(7));
        List<CustomerRow> rows = new ArrayList<>();
        Instant at = Instant.parse("2026-11-28T02:02:03.583Z");
        rows.add(CustomerRow.of("5867f8d847e804", "BD_Customer", "100231", at, at.plusNanos(1_500_000), CustomerRow.Phase.SNAPSHOT, fields));
        rows.add(CustomerRow.of("5867f8d847e804", "BD_Customer", "7", Instant.EPOCH, Instant.parse("2026-11-28T02:02:03Z"),
                CustomerRow.Phase.INCREMENTAL, other));
        rows.add(CustomerRow.of("a", "BD_Customer", "1", Instant.EPOCH, Instant.EPOCH, CustomerRow.Phase.SNAPSHOT, Map.of()));
        rows.add(CustomerRow.of("a", "BD_Customer", "2", at.plusNanos(120), at, CustomerRow.Phase.SNAPSHOT, Map.of("x", TextNode.valueOf("y"))));
        return rows;
    }
}
