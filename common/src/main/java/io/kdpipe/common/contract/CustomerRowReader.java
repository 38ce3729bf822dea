package io.kdpipe.common.contract;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a {@link CustomerRow} as {@link CustomerRowWriter} writes it, straight from the parser's
 * tokens: no bean binding, no intermediate maps, and the fields laid out in a {@link CustomerRow.FieldLayout}
 * shared by every row with the same field names. {@code CustomerRow.CODEC} tries it first.
 *
 * <p>It reads only what it reads exactly as the shared mapper does, and returns null for anything
 * else, so the codec decodes that the general way, which decides and words every error:
 * a property that is unknown, missing or repeated; text that is not a JSON string; an instant that is
 * not in {@link Instant#toString()}'s form; a phase that is not a constant's name; fields that are not
 * in strictly ascending order; content after the object. Field values that are strings, null,
 * booleans, ints, longs or arrays of these are made here; any other value is read by the shared mapper.
 */
final class CustomerRowReader {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private static final int ACCOUNT = 1;
    private static final int CUSTOMER_ID = 1 << 1;
    private static final int EXTRACTED_AT = 1 << 2;
    private static final int FIELDS = 1 << 3;
    private static final int FORM = 1 << 4;
    private static final int MODIFIED_AT = 1 << 5;
    private static final int PHASE = 1 << 6;
    private static final int SCHEMA_VERSION = 1 << 7;
    private static final int ALL = (1 << 8) - 1;

    /** The layout of the last row read: rows from one extractor job all share it. */
    private static volatile Layout lastLayout;

    private CustomerRowReader() {
    }

    /**
     * The row, or null when it is not read here (see the class comment). A row exactly as the writer
     * writes it, without escapes or fractions, is read from its bytes ({@link CustomerRowBytes}).
     */
    static CustomerRow read(byte[] bytes) {
        CustomerRow plain = CustomerRowBytes.read(bytes);
        if (plain != null) {
            return plain;
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int seen = 0;
            int version = 0;
            String account = null;
            String form = null;
            String customerId = null;
            Instant modifiedAt = null;
            Instant extractedAt = null;
            CustomerRow.Phase phase = null;
            Map<String, JsonNode> fields = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int property;
                switch (name) {
                    case "account" -> {
                        property = ACCOUNT;
                        account = text(p, v);
                    }
                    case "customerId" -> {
                        property = CUSTOMER_ID;
                        customerId = text(p, v);
                    }
                    case "extractedAt" -> {
                        property = EXTRACTED_AT;
                        extractedAt = instant(p, v);
                    }
                    case "fields" -> {
                        property = FIELDS;
                        fields = v == JsonToken.START_OBJECT ? fields(p) : null;
                    }
                    case "form" -> {
                        property = FORM;
                        form = text(p, v);
                    }
                    case "modifiedAt" -> {
                        property = MODIFIED_AT;
                        modifiedAt = instant(p, v);
                    }
                    case "phase" -> {
                        property = PHASE;
                        phase = phase(p, v);
                    }
                    case "schemaVersion" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        property = SCHEMA_VERSION;
                        version = p.getIntValue();
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & property) != 0) {
                    return null;
                }
                seen |= property;
            }
            if (t != JsonToken.END_OBJECT || seen != ALL || p.nextToken() != null) {
                return null;
            }
            if (account == null || form == null || customerId == null || modifiedAt == null || extractedAt == null
                    || phase == null || fields == null) {
                return null;
            }
            return new CustomerRow(version, account, form, customerId, modifiedAt, extractedAt, phase, fields);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** An instant written as {@link Instant#toString()} writes it (the form every parser reads alike), else null. */
    private static Instant instant(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        return Instants.parseCanonical(p.getText());
    }

    private static CustomerRow.Phase phase(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        return switch (p.getText()) {
            case "SNAPSHOT" -> CustomerRow.Phase.SNAPSHOT;
            case "INCREMENTAL" -> CustomerRow.Phase.INCREMENTAL;
            default -> null;
        };
    }

    /**
     * The value at the parser's token, made as the mapper's tree reader makes it with the shared
     * mapper's settings (ints as int or long nodes by size, none of the int coercions on); floats and
     * objects are left to the mapper itself.
     */
    private static JsonNode value(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> IntNode.valueOf(p.getIntValue());
                case LONG -> LongNode.valueOf(p.getLongValue());
                default -> MAPPER.readTree(p);
            };
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(p, t));
                }
                yield array;
            }
            default -> MAPPER.readTree(p);
        };
    }

    /**
     * The field object the parser is at the start of, or null when its names are not strictly
     * ascending. The names of the last layout are expected in turn: a name that matches is recognised
     * from its bytes, without the parser hashing it.
     */
    private static Map<String, JsonNode> fields(JsonParser p) throws IOException {
        Layout last = lastLayout;
        SerializedString[] expected = last != null ? last.names() : new SerializedString[0];
        Fields fields = new Fields(expected.length);
        while (true) {
            int n = fields.size();
            String name;
            if (n < expected.length && p.nextFieldName(expected[n])) {
                name = expected[n].getValue();
            } else {
                if (n >= expected.length) {
                    p.nextToken();
                }
                if (p.currentToken() != JsonToken.FIELD_NAME) {
                    break;
                }
                name = p.currentName();
            }
            if (!fields.ascending(name)) {
                return null;
            }
            fields.add(name, value(p, p.nextToken()));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            return null;
        }
        return fields.laidOut(last);
    }

    /** The last layout read (by either reader), or null. */
    static Layout lastLayout() {
        return lastLayout;
    }

    /** A row's fields as they are read, in order; laid out at the end. */
    static final class Fields {
        private String[] names;
        private JsonNode[] values;
        /** Per field, the offset and length of a text value left in the row's bytes, or a mark (see {@code FieldLayout}); null until one is. */
        private int[] spans;
        private int n;

        Fields(int expected) {
            names = new String[Math.max(expected, 16)];
            values = new JsonNode[names.length];
        }

        int size() {
            return n;
        }

        /** Whether {@code name} comes after the last name added (the contract's fields are strictly ascending). */
        boolean ascending(String name) {
            return n == 0 || names[n - 1].compareTo(name) < 0;
        }

        void add(String name, JsonNode value) {
            if (n == names.length) {
                names = Arrays.copyOf(names, 2 * n + 1);
                values = Arrays.copyOf(values, 2 * n + 1);
                if (spans != null) {
                    spans = Arrays.copyOf(spans, 2 * names.length);
                }
            }
            names[n] = name;
            values[n] = value;
            if (spans != null) {
                spans[2 * n] = CustomerRow.FieldLayout.NO_SPAN;
            }
            n++;
        }

        /** A text value still in the row's bytes: well-formed UTF-8 without escapes, at {@code [offset, offset + length)}. */
        void addText(String name, int offset, int length) {
            addSpan(name, offset, length);
        }

        /** An array without items, made when it is asked for. */
        void addEmptyArray(String name) {
            addSpan(name, CustomerRow.FieldLayout.EMPTY_ARRAY, 0);
        }

        private void addSpan(String name, int offset, int length) {
            if (spans == null) {
                spans = new int[2 * names.length];
                Arrays.fill(spans, CustomerRow.FieldLayout.NO_SPAN);
            }
            add(name, null);
            spans[2 * n - 2] = offset;
            spans[2 * n - 1] = length;
        }

        /** The fields, in {@code last} when it has these names, else in a new layout, which becomes the last. */
        Map<String, JsonNode> laidOut(Layout last) {
            return laidOut(last, null);
        }

        /** As {@link #laidOut(Layout)}, the text values added by {@link #addText} left in {@code source} until asked for. */
        Map<String, JsonNode> laidOut(Layout last, byte[] source) {
            CustomerRow.FieldLayout layout;
            if (last != null && last.layout().hasNames(names, n)) {
                layout = last.layout();
            } else {
                List<String> these = Arrays.asList(names).subList(0, n);
                layout = CustomerRow.FieldLayout.of(these);
                lastLayout = new Layout(layout, these.stream().map(SerializedString::new).toArray(SerializedString[]::new));
            }
            JsonNode[] laid = values.length == n ? values : Arrays.copyOf(values, n);
            if (spans == null) {
                return layout.fields(laid);
            }
            if (source == null) {
                throw new IllegalStateException("text values were left in bytes that were not given");
            }
            return layout.fields(laid, source, spans.length == 2 * n ? spans : Arrays.copyOf(spans, 2 * n));
        }
    }

    /** A layout with its names quoted and encoded, to be matched against a row's bytes. */
    record Layout(CustomerRow.FieldLayout layout, SerializedString[] names) {
    }
}
