package io.kdpipe.common.contract;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    private static volatile CustomerRow.FieldLayout lastLayout;

    private CustomerRowReader() {
    }

    /** The row, or null when it is not read here (see the class comment). */
    static CustomerRow read(byte[] bytes) {
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
            java.util.Map<String, JsonNode> fields = null;
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
        String text = p.getText();
        Instant instant = Instant.parse(text);
        return instant.toString().equals(text) ? instant : null;
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

    /** The field object the parser is at the start of, or null when its names are not strictly ascending. */
    private static java.util.Map<String, JsonNode> fields(JsonParser p) throws IOException {
        CustomerRow.FieldLayout layout = lastLayout;
        int capacity = layout != null ? layout.size() : 64;
        String[] names = new String[capacity];
        JsonNode[] values = new JsonNode[capacity];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (n > 0 && names[n - 1].compareTo(name) >= 0) {
                return null;
            }
            JsonNode value = value(p, p.nextToken());
            if (n == names.length) {
                names = Arrays.copyOf(names, 2 * n + 1);
                values = Arrays.copyOf(values, 2 * n + 1);
            }
            names[n] = name;
            values[n] = value;
            n++;
        }
        if (t != JsonToken.END_OBJECT) {
            return null;
        }
        if (layout == null || !layout.hasNames(names, n)) {
            layout = CustomerRow.FieldLayout.of(Arrays.asList(names).subList(0, n));
            lastLayout = layout;
        }
        return layout.fields(values.length == n ? values : Arrays.copyOf(values, n));
    }
}
