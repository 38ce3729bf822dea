package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class CustomerRowBytesTest {

    private static final String[] PIECES = {"a", "Z", "0", "9", " ", "-", "_", "/", ":", ".", "{", "}", "[", "]", ",", "'",
        "上海", "华东电子有限公司", "招商银行", "é", "ß", "€", "\u007f", "\u00a0", "\u2028"};

    @Test
    void shouldReadPlainRowsFromTheirBytesAsTheSharedMapperReadsThem() throws Exception {
        SplittableRandom random = new SplittableRandom(6122026);
        for (int i = 0; i < 3_000; i++) {
            CustomerRow row = plainRow(random);
            byte[] bytes = CustomerRow.CODEC.encode(row);
            CustomerRow read = CustomerRowBytes.read(bytes);
            String as = new String(bytes, StandardCharsets.UTF_8);
            assertThat(read).as(as).isNotNull();
            CustomerRow mapped = Json.mapper().readValue(bytes, CustomerRow.class);
            assertThat(read).as(as).isEqualTo(mapped);
            read.fields().forEach((name, value) -> assertThat(value.getClass()).as(as).isEqualTo(mapped.fields().get(name).getClass()));
        }
    }

    @Test
    void shouldHandTextOverAsTheRowsBytesEmptyArraysAsSuchAndEveryOtherValueAsItsNode() {
        SplittableRandom random = new SplittableRandom(6122027);
        int texts = 0;
        int emptyArrays = 0;
        for (int i = 0; i < 1_000; i++) {
            CustomerRow row = plainRow(random);
            CustomerRow read = CustomerRowBytes.read(CustomerRow.CODEC.encode(row));
            assertThat(read).isNotNull();
            // a text already asked for is still handed over as bytes
            row.fields().keySet().stream().filter(name -> random.nextBoolean()).forEach(read::text);
            Map<String, JsonNode> visited = new TreeMap<>();
            List<String> order = new ArrayList<>();
            int[] asBytes = {0};
            int[] empty = {0};
            read.forEachField(new CustomerRow.FieldVisitor() {
                @Override
                public void value(String name, JsonNode value) {
                    assertThat(value).as(name).isNotInstanceOf(TextNode.class);
                    order.add(name);
                    visited.put(name, value);
                }

                @Override
                public void text(String name, byte[] utf8, int offset, int length) {
                    order.add(name);
                    visited.put(name, TextNode.valueOf(new String(utf8, offset, length, StandardCharsets.UTF_8)));
                    asBytes[0]++;
                }

                @Override
                public void emptyArray(String name) {
                    order.add(name);
                    visited.put(name, JsonNodeFactory.instance.arrayNode());
                    empty[0]++;
                }
            });
            assertThat(order).containsExactlyElementsOf(row.fields().keySet());
            assertThat(visited).isEqualTo(row.fields());
            assertThat(read).isEqualTo(row);
            texts += asBytes[0];
            emptyArrays += empty[0];
        }
        assertThat(texts).isPositive();
        assertThat(emptyArrays).isPositive();
    }

    @Test
    void shouldLeaveEscapesFractionsNestingAndLongNumbersToTheParser() throws Exception {
        CustomerRow plain = plainRow(new SplittableRandom(1));
        List<JsonNode> others = List.of(
                TextNode.valueOf("a \"quoted\" name"), TextNode.valueOf("back\\slash"), TextNode.valueOf("line\nbreak"),
                TextNode.valueOf("\u0001"), TextNode.valueOf("😀, which the writer escapes"),
                DecimalNode.valueOf(new BigDecimal("0.150")), JsonNodeFactory.instance.numberNode(1.5e300),
                LongNode.valueOf(Long.MAX_VALUE), LongNode.valueOf(-1_000_000_000_000_000_000L),
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.arrayNode().add(1)),
                JsonNodeFactory.instance.objectNode().put("k", "v"));
        for (JsonNode other : others) {
            Map<String, JsonNode> fields = new TreeMap<>(plain.fields());
            fields.put("FOther", other);
            byte[] bytes = CustomerRow.CODEC.encode(CustomerRow.of(plain.account(), plain.form(), plain.customerId(), plain.modifiedAt(),
                    plain.extractedAt(), plain.phase(), fields));
            assertThat(CustomerRowBytes.read(bytes)).as(other.toString()).isNull();
            // the parser's way reads it
            assertThat(CustomerRowReader.read(bytes)).isEqualTo(Json.mapper().readValue(bytes, CustomerRow.class));
        }
        String row = new String(CustomerRow.CODEC.encode(plain), StandardCharsets.UTF_8);
        for (String other : List.of(row + " ", " " + row, row.replace(":", " : "), row.replace("\"account\"", "\"account\\u0020\""))) {
            assertThat(CustomerRowBytes.read(other.getBytes(StandardCharsets.UTF_8))).as(other).isNull();
        }
    }

    @Test
    void shouldDecodeAndRefuseExactlyAsTheCodecWithoutItForMangledPlainRows() {
        SplittableRandom random = new SplittableRandom(20261207);
        List<byte[]> samples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(CustomerRow.CODEC.encode(plainRow(random)));
        }
        CustomerRowReaderTest.assertSameOutcomeWhenMangled(samples, random, 30_000);
    }

    /** A row of plain values: strings without escapes, ints and longs up to 18 digits, booleans, null, flat arrays. */
    private static CustomerRow plainRow(SplittableRandom random) {
        Map<String, JsonNode> fields = new TreeMap<>();
        int n = random.nextInt(0, 40);
        for (int i = 0; i < n; i++) {
            fields.put("F" + (char) ('A' + random.nextInt(26)) + random.nextInt(100), plainValue(random, true));
        }
        Instant at = Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)).plusNanos(random.nextInt(0, 1_000_000));
        return CustomerRow.of("acct" + text(random), "BD_Customer", String.valueOf(random.nextInt(1, 1_000_000)), at, at.plusSeconds(1),
                random.nextBoolean() ? CustomerRow.Phase.SNAPSHOT : CustomerRow.Phase.INCREMENTAL, fields);
    }

    private static JsonNode plainValue(SplittableRandom random, boolean arrays) {
        return switch (random.nextInt(arrays ? 8 : 7)) {
            case 0, 1 -> TextNode.valueOf(text(random));
            case 2 -> NullNode.getInstance();
            case 3 -> random.nextBoolean() ? BooleanNode.TRUE : BooleanNode.FALSE;
            case 4 -> IntNode.valueOf(random.nextBoolean() ? random.nextInt() : random.nextInt(-2, 3));
            case 5 -> LongNode.valueOf(random.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L));
            case 6 -> random.nextBoolean() ? IntNode.valueOf(Integer.MAX_VALUE) : LongNode.valueOf((long) Integer.MIN_VALUE - 1);
            default -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                int items = random.nextInt(0, 4);
                for (int i = 0; i < items; i++) {
                    array.add(plainValue(random, false));
                }
                yield array;
            }
        };
    }

    private static String text(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(0, 12);
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }
}
