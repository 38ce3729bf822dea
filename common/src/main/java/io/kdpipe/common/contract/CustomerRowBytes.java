package io.kdpipe.common.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a {@link CustomerRow} from the exact bytes {@link CustomerRowWriter} writes, without a JSON
 * parser: properties in their one order, no white space, strings without escapes, field values that
 * are such strings, null, booleans, integers of up to 18 digits, or arrays of these. Everything else,
 * and anything out of that shape, returns null, and {@link CustomerRowReader} reads the row with the
 * parser. The bytes are known to be well-formed UTF-8 without NUL (the codec checks that first), so a
 * string is its bytes between the quotes, as long as none is a quote, a backslash or a control
 * character (which JSON refuses raw). What it returns equals what the parser reads: text, int and
 * long nodes as the shared mapper makes them. A field's text stays in the row's bytes until it is
 * asked for, so a row read only to be fingerprinted and dropped ({@link CustomerRow#forEachField})
 * makes no string for it.
 */
final class CustomerRowBytes {

    private static final JsonNodeFactory NODES = Json.mapper().getNodeFactory();
    /** Eight bytes of an array at once. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private static final byte[] ACCOUNT = ascii("{\"account\":");
    private static final byte[] CUSTOMER_ID = ascii(",\"customerId\":");
    private static final byte[] EXTRACTED_AT = ascii(",\"extractedAt\":");
    private static final byte[] FIELDS = ascii(",\"fields\":{");
    private static final byte[] FORM = ascii(",\"form\":");
    private static final byte[] MODIFIED_AT = ascii(",\"modifiedAt\":");
    private static final byte[] PHASE = ascii(",\"phase\":");
    private static final byte[] SCHEMA_VERSION = ascii(",\"schemaVersion\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private final byte[] in;
    /** The next byte to read. */
    private int pos;

    private CustomerRowBytes(byte[] in) {
        this.in = in;
    }

    /** The row, or null when it is not in the writer's plain form (see the class comment). */
    static CustomerRow read(byte[] bytes) {
        try {
            return new CustomerRowBytes(bytes).row();
        } catch (RuntimeException e) {
            return null; // e.g. an instant out of range: the parser's way decides
        }
    }

    private CustomerRow row() {
        if (!expect(ACCOUNT)) {
            return null;
        }
        String account = string();
        if (account == null || !expect(CUSTOMER_ID)) {
            return null;
        }
        String customerId = string();
        if (customerId == null || !expect(EXTRACTED_AT)) {
            return null;
        }
        Instant extractedAt = instant();
        if (extractedAt == null || !expect(FIELDS)) {
            return null;
        }
        Map<String, JsonNode> fields = fields();
        if (fields == null || !expect(FORM)) {
            return null;
        }
        String form = string();
        if (form == null || !expect(MODIFIED_AT)) {
            return null;
        }
        Instant modifiedAt = instant();
        if (modifiedAt == null || !expect(PHASE)) {
            return null;
        }
        CustomerRow.Phase phase = phase();
        if (phase == null || !expect(SCHEMA_VERSION)) {
            return null;
        }
        JsonNode version = number();
        if (!(version instanceof IntNode v) || pos != in.length - 1 || in[pos] != '}') {
            return null;
        }
        return new CustomerRow(v.intValue(), account, form, customerId, modifiedAt, extractedAt, phase, fields);
    }

    private boolean expect(byte[] bytes) {
        if (in.length - pos < bytes.length || !Arrays.equals(in, pos, pos + bytes.length, bytes, 0, bytes.length)) {
            return false;
        }
        pos += bytes.length;
        return true;
    }

    /** The string at {@code pos} if it has no escape or control character, else null. */
    private String string() {
        int end = stringEnd();
        if (end < 0) {
            return null;
        }
        String s = new String(in, pos + 1, end - pos - 1, StandardCharsets.UTF_8);
        pos = end + 1;
        return s;
    }

    /** The index of the closing quote of the plain string at {@code pos}, or -1. */
    private int stringEnd() {
        if (pos >= in.length || in[pos] != '"') {
            return -1;
        }
        int n = in.length;
        int i = pos + 1;
        // eight bytes at a time up to the eight that hold a quote, a backslash or a control character
        while (i + 8 <= n && !anyEnd((long) LONGS.get(in, i))) {
            i += 8;
        }
        for (; i < n; i++) {
            byte b = in[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || (b >= 0 && b < 0x20)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Whether any of the eight bytes in {@code w} is a quote, a backslash or below 0x20 ({@code (x - 0x01…) & ~x
     * & 0x80…} is not zero exactly when a byte of {@code x} is zero, {@code (x - 0x20…) & ~x & 0x80…} when one is
     * below 0x20; bytes of 0x80 and above, the rest of a UTF-8 sequence, are none of these).
     */
    private static boolean anyEnd(long w) {
        long quotes = w ^ QUOTES;
        long backslashes = w ^ BACKSLASHES;
        long zeroOrBelow = ((quotes - LOW_BITS) & ~quotes) | ((backslashes - LOW_BITS) & ~backslashes) | ((w - SPACES) & ~w);
        return (zeroOrBelow & HIGH_BITS) != 0;
    }

    private Instant instant() {
        String text = string();
        return text == null ? null : Instants.parseCanonical(text);
    }

    private CustomerRow.Phase phase() {
        String text = string();
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "SNAPSHOT" -> CustomerRow.Phase.SNAPSHOT;
            case "INCREMENTAL" -> CustomerRow.Phase.INCREMENTAL;
            default -> null;
        };
    }

    /**
     * The field object after its opening brace, up to and past its closing one; null when its names are
     * not strictly ascending or a value is not read here. The names of the last layout are matched by
     * their bytes.
     */
    private Map<String, JsonNode> fields() {
        CustomerRowReader.Layout last = CustomerRowReader.lastLayout();
        SerializedString[] expected = last != null ? last.names() : new SerializedString[0];
        CustomerRowReader.Fields fields = new CustomerRowReader.Fields(expected.length);
        boolean known = true;
        if (!expect1('}')) {
            do {
                int n = fields.size();
                if (n > 0 && !expect1(',')) {
                    return null;
                }
                String name;
                if (known && n < expected.length && expectName(expected[n])) {
                    // the last layout's names, matched in turn from the first: ascending, as that row's were
                    name = expected[n].getValue();
                } else {
                    known = false;
                    name = string();
                    if (name == null || !expect1(':') || !fields.ascending(name)) {
                        return null;
                    }
                }
                if (pos < in.length && in[pos] == '"') {
                    // text stays in the row's bytes until it is asked for
                    int end = stringEnd();
                    if (end < 0) {
                        return null;
                    }
                    fields.addText(name, pos + 1, end - pos - 1);
                    pos = end + 1;
                    continue;
                }
                if (pos + 1 < in.length && in[pos] == '[' && in[pos + 1] == ']') {
                    fields.addEmptyArray(name);
                    pos += 2;
                    continue;
                }
                JsonNode value = value(true);
                if (value == null) {
                    return null;
                }
                fields.add(name, value);
            } while (!expect1('}'));
        }
        return fields.laidOut(last, in);
    }

    /** Whether {@code name} comes next, as the writer writes it ({@code "name":}); if so, reads past it. */
    private boolean expectName(SerializedString name) {
        byte[] quoted = name.asQuotedUTF8();
        int end = pos + 1 + quoted.length;
        if (end + 1 >= in.length || in[pos] != '"' || in[end] != '"' || in[end + 1] != ':'
                || !startsWith(in, pos + 1, quoted)) {
            return false;
        }
        pos = end + 2;
        return true;
    }

    /**
     * Whether {@code prefix} lies in {@code bytes} at {@code from} (which holds that many bytes): eight bytes at
     * a time, as field names are short and a mismatch search costs more than they take to compare.
     */
    private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
        int n = prefix.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) LONGS.get(bytes, from + i) != (long) LONGS.get(prefix, i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean expect1(char c) {
        if (pos < in.length && in[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** A field value ({@code arrays}: an array is read too; an array's items are not arrays), or null when it is not read here. */
    private JsonNode value(boolean arrays) {
        if (pos >= in.length) {
            return null;
        }
        byte b = in[pos];
        if (b == '"') {
            String s = string();
            return s == null ? null : TextNode.valueOf(s);
        }
        if (b == 'n') {
            return expect(NULL) ? NullNode.getInstance() : null;
        }
        if (b == 't') {
            return expect(TRUE) ? BooleanNode.TRUE : null;
        }
        if (b == 'f') {
            return expect(FALSE) ? BooleanNode.FALSE : null;
        }
        if (b == '-' || (b >= '0' && b <= '9')) {
            return number();
        }
        if (b == '[' && arrays) {
            pos++;
            ArrayNode array = NODES.arrayNode();
            if (expect1(']')) {
                return array;
            }
            while (true) {
                JsonNode item = value(false);
                if (item == null) {
                    return null;
                }
                array.add(item);
                if (expect1(']')) {
                    return array;
                }
                if (!expect1(',')) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * An integer as the parser reads it (an int node when it fits an int, else a long node), or null for
     * anything else: a fraction or exponent, a leading zero, {@code -0}, more than 18 digits.
     */
    private JsonNode number() {
        if (pos >= in.length) {
            return null;
        }
        boolean negative = in[pos] == '-';
        int i = negative ? pos + 1 : pos;
        int digits = i;
        long value = 0;
        while (i < in.length && in[i] >= '0' && in[i] <= '9') {
            value = value * 10 + (in[i] - '0');
            i++;
        }
        int n = i - digits;
        if (n == 0 || n > 18 || (n > 1 && in[digits] == '0') || (negative && value == 0)) {
            return null;
        }
        if (i < in.length && (in[i] == '.' || in[i] == 'e' || in[i] == 'E')) {
            return null;
        }
        pos = i;
        long signed = negative ? -value : value;
        return signed >= Integer.MIN_VALUE && signed <= Integer.MAX_VALUE ? IntNode.valueOf((int) signed) : LongNode.valueOf(signed);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
