package io.kdpipe.transformer.binary;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.Json;

/**
 * The building blocks of the transformer's binary format (big-endian, as {@link DataOutput}):
 * a string is an int byte length ({@code -1} for null) and its UTF-8 bytes; an instant is a
 * presence byte, then epoch seconds (long) and nanos (int); a list of strings is an int count and
 * its strings; a JSON value is a tag byte and its content (see {@link #writeJson}).
 *
 * <p>The encoding is frozen: stored values and changelogs depend on it, and {@code CustomerState}'s
 * fingerprint hashes it. A different layout needs a new format byte (and a new fingerprint scheme).
 */
public final class Binary {

    private static final int NULL = 0;
    private static final int TEXT = 1;
    private static final int LONG = 2;
    private static final int BIG_INTEGER = 3;
    private static final int DECIMAL = 4;
    private static final int DOUBLE = 5;
    private static final int TRUE = 6;
    private static final int FALSE = 7;
    private static final int ARRAY = 8;
    private static final int OBJECT = 9;
    private static final int JSON_TEXT = 10;

    private Binary() {
    }

    public static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        if (out instanceof ByteSink sink) {
            // encoded in place, its length written in front of it afterwards
            int at = sink.size();
            sink.writeInt(0);
            sink.putInt(at, sink.writeUtf8(s));
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (in instanceof ByteSource source) {
            return source.readUtf8(length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeInstant(DataOutput out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    public static Instant readInstant(DataInput in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    public static void writeStrings(DataOutput out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    public static List<String> readStrings(DataInput in) throws IOException {
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return list;
    }

    /**
     * {@code bytes} with the JSON value at {@code [from, to)} (as {@link #writeJson} wrote it) replaced by
     * JSON null; a new array, the rest of the bytes as they were.
     */
    public static byte[] withNullAt(byte[] bytes, int from, int to) {
        if (from < 0 || to <= from || to > bytes.length) {
            throw new IllegalArgumentException("no JSON value at [" + from + ", " + to + ") of " + bytes.length + " bytes");
        }
        byte[] out = new byte[bytes.length - (to - from) + 1];
        System.arraycopy(bytes, 0, out, 0, from);
        out[from] = NULL;
        System.arraycopy(bytes, to, out, from + 1, bytes.length - to);
        return out;
    }

    /** A text value from its UTF-8 bytes, exactly as {@link #writeJson} writes a text node of that text. */
    public static void writeText(ByteSink out, byte[] utf8, int offset, int length) {
        out.writeByte(TEXT);
        out.writeInt(length);
        out.write(utf8, offset, length);
    }

    /** An array without items, exactly as {@link #writeJson} writes one. */
    public static void writeEmptyArray(ByteSink out) {
        out.writeByte(ARRAY);
        out.writeInt(0);
    }

    /**
     * A JSON value as a tag byte and its content: null; text (a string); an integer that fits a
     * long (a long); a larger integer or a decimal (its exact text, so {@code 0.150} keeps its
     * scale); a double (its IEEE bits); true; false; an array (count, items); an object (count,
     * then name and value per property, in the object's own order). Anything else (binary, POJO)
     * travels as its JSON text.
     */
    public static void writeJson(DataOutput out, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.writeByte(NULL);
        } else if (node.isTextual()) {
            out.writeByte(TEXT);
            writeString(out, node.textValue());
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                out.writeByte(LONG);
                out.writeLong(node.longValue());
            } else {
                out.writeByte(BIG_INTEGER);
                writeString(out, node.bigIntegerValue().toString());
            }
        } else if (node.isBigDecimal()) {
            out.writeByte(DECIMAL);
            writeString(out, node.decimalValue().toString());
        } else if (node.isFloatingPointNumber()) {
            out.writeByte(DOUBLE);
            out.writeDouble(node.doubleValue());
        } else if (node.isBoolean()) {
            out.writeByte(node.booleanValue() ? TRUE : FALSE);
        } else if (node.isArray()) {
            out.writeByte(ARRAY);
            out.writeInt(node.size());
            for (JsonNode item : node) {
                writeJson(out, item);
            }
        } else if (node.isObject()) {
            out.writeByte(OBJECT);
            out.writeInt(node.size());
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                writeString(out, e.getKey());
                writeJson(out, e.getValue());
            }
        } else {
            out.writeByte(JSON_TEXT);
            writeString(out, Json.mapper().writeValueAsString(node));
        }
    }

    /**
     * Reads past a JSON value as {@link #readJson} would read it, without building it: the same
     * structure is checked, the same errors thrown (a value in its JSON text is parsed).
     */
    public static void skipJson(DataInput in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case NULL, TRUE, FALSE:
                return;
            case LONG, DOUBLE:
                skipFully(in, 8);
                return;
            case TEXT:
                skipString(in);
                return;
            case BIG_INTEGER:
                new BigInteger(readString(in));
                return;
            case DECIMAL:
                new BigDecimal(readString(in));
                return;
            case JSON_TEXT:
                Json.mapper().readTree(readString(in));
                return;
            case ARRAY: {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    skipJson(in);
                }
                return;
            }
            case OBJECT: {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    skipString(in);
                    skipJson(in);
                }
                return;
            }
            default:
                throw new IOException("unknown JSON tag " + tag);
        }
    }

    private static void skipString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length > 0) {
            skipFully(in, length);
        }
    }

    private static void skipFully(DataInput in, int n) throws IOException {
        if (in.skipBytes(n) != n) {
            throw new EOFException();
        }
    }

    public static JsonNode readJson(DataInput in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case NULL:
                return NullNode.getInstance();
            case TEXT:
                return TextNode.valueOf(readString(in));
            case LONG: {
                long v = in.readLong();
                // as a parser reads it: an int when it fits
                return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
            }
            case BIG_INTEGER:
                return BigIntegerNode.valueOf(new BigInteger(readString(in)));
            case DECIMAL:
                return DecimalNode.valueOf(new BigDecimal(readString(in)));
            case DOUBLE:
                return DoubleNode.valueOf(in.readDouble());
            case TRUE:
                return BooleanNode.TRUE;
            case FALSE:
                return BooleanNode.FALSE;
            case ARRAY: {
                int n = in.readInt();
                ArrayNode array = JsonNodeFactory.instance.arrayNode(n);
                for (int i = 0; i < n; i++) {
                    array.add(readJson(in));
                }
                return array;
            }
            case OBJECT: {
                int n = in.readInt();
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < n; i++) {
                    String name = readString(in);
                    object.set(name, readJson(in));
                }
                return object;
            }
            case JSON_TEXT:
                return Json.mapper().readTree(readString(in));
            default:
                throw new IOException("unknown JSON tag " + tag);
        }
    }
}
