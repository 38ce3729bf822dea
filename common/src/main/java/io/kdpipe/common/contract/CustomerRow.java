package io.kdpipe.common.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.lang.ArrayEntries;

/**
 * One customer as Kingdee returned it, published by the extractor to {@code kingdee.customers.v1}
 * under the key {@link #key()}.
 *
 * @param account      the Kingdee data-centre id ({@code acctID}) the row came from
 * @param form         the form queried, normally {@code BD_Customer}
 * @param customerId   {@code FCUSTID}: one row per customer per use-organisation
 * @param modifiedAt   {@code FModifyDate}, read in the server's zone; orders versions of a customer
 * @param extractedAt  when the extractor read the row
 * @param phase        {@code SNAPSHOT} for a job's first full read, {@code INCREMENTAL} after
 * @param fields       the queried field keys and their values (trimmed text, null for empty);
 *                     entry fields that Kingdee returned on several lines arrive as an array
 */
public record CustomerRow(
        int schemaVersion,
        String account,
        String form,
        String customerId,
        Instant modifiedAt,
        Instant extractedAt,
        Phase phase,
        Map<String, JsonNode> fields) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<CustomerRow> CODEC = new Codec<>(CustomerRow.class, VERSION, CustomerRowWriter::encode,
            CustomerRowReader::read);

    /** Whether a row belongs to a job's first full read or to its incremental polling. */
    public enum Phase { SNAPSHOT, INCREMENTAL }

    public CustomerRow {
        Require.text(account, "account");
        Require.text(form, "form");
        Require.text(customerId, "customerId");
        Require.present(modifiedAt, "modifiedAt");
        Require.present(extractedAt, "extractedAt");
        Require.present(phase, "phase");
        Require.present(fields, "fields");
        // fields laid out by a FieldLayout are sorted and unmodifiable already: kept as they are
        fields = fields instanceof LaidOutFields ? fields : Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /**
     * A fixed set of field names in the contract's (natural) order, for a producer that builds many
     * rows with the same fields: {@link #fields} makes a row's field map from an array of values in
     * that order, taken over rather than copied, and a row given that map keeps it as it is.
     */
    public static final class FieldLayout {
        /** A field's value is in its values array. */
        static final int NO_SPAN = -1;
        /** A field's value is an array without items, made when it is first asked for. */
        static final int EMPTY_ARRAY = -2;

        private final String[] names;

        private FieldLayout(String[] names) {
            this.names = names;
        }

        /** The layout of these names (duplicates once), sorted as the contract keeps them. */
        public static FieldLayout of(Collection<String> names) {
            return new FieldLayout(new TreeSet<>(names).toArray(new String[0]));
        }

        /** Whether this layout's names are the first {@code n} of {@code candidate}, in that order. */
        boolean hasNames(String[] candidate, int n) {
            if (n != names.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!names[i].equals(candidate[i])) {
                    return false;
                }
            }
            return true;
        }

        /** How many fields a row of this layout has. */
        public int size() {
            return names.length;
        }

        /** The slot of {@code name} in a values array, or -1 when the layout has no such field. */
        public int indexOf(String name) {
            int i = Arrays.binarySearch(names, name);
            return i < 0 ? -1 : i;
        }

        /**
         * An unmodifiable field map over {@code values}, one per name in layout order (null for a
         * field without a value). The caller hands the array over and must not change it afterwards.
         */
        public Map<String, JsonNode> fields(JsonNode[] values) {
            return fields(values, null, null);
        }

        /**
         * As {@link #fields(JsonNode[])}, where a field whose {@code spans} entry ({@code spans[2i]}, its
         * offset, {@code spans[2i + 1]}, its length) marks a string in {@code source} (well-formed UTF-8
         * without escapes) has its text node made when it is first asked for; offset {@link #EMPTY_ARRAY}
         * marks an array without items, made likewise; offset {@link #NO_SPAN}, a value in {@code values}.
         */
        Map<String, JsonNode> fields(JsonNode[] values, byte[] source, int[] spans) {
            if (values.length != names.length) {
                throw new IllegalArgumentException("expected " + names.length + " values, got " + values.length);
            }
            return new LaidOutFields(names, values, source, spans);
        }
    }

    /** Receives a row's fields in the contract's order ({@link #forEachField}). */
    public interface FieldVisitor {

        /** A field and its value (null or a null node when it has none). */
        void value(String name, JsonNode value);

        /** A field whose value is text, as its UTF-8 bytes {@code utf8[offset, offset + length)}. */
        void text(String name, byte[] utf8, int offset, int length);

        /** A field whose value is an array without items (by default handed to {@link #value} as one). */
        default void emptyArray(String name) {
            value(name, JsonNodeFactory.instance.arrayNode());
        }
    }

    /**
     * Each field in turn: a row read from its bytes hands its text values over as those bytes (no string
     * is made for them), any other value as its node.
     */
    public void forEachField(FieldVisitor visitor) {
        if (fields instanceof LaidOutFields laidOut) {
            laidOut.visit(visitor);
        } else {
            fields.forEach(visitor::value);
        }
    }

    /**
     * A row's fields as sorted names and their values. A value with a span is text still in the row's
     * bytes, or an empty array: its node is made when it is first asked for and kept in {@code values} (the same node
     * whichever thread makes it first); nothing else changes the arrays.
     */
    private static final class LaidOutFields extends AbstractMap<String, JsonNode> {
        private final String[] names;
        private final JsonNode[] values;
        private final byte[] source;
        private final int[] spans;

        LaidOutFields(String[] names, JsonNode[] values, byte[] source, int[] spans) {
            this.names = names;
            this.values = values;
            this.source = source;
            this.spans = spans;
        }

        private int span(int i) {
            return spans == null ? FieldLayout.NO_SPAN : spans[2 * i];
        }

        private JsonNode value(int i) {
            JsonNode v = values[i];
            if (v == null) {
                int at = span(i);
                if (at >= 0) {
                    v = TextNode.valueOf(new String(source, at, spans[2 * i + 1], StandardCharsets.UTF_8));
                } else if (at == FieldLayout.EMPTY_ARRAY) {
                    v = JsonNodeFactory.instance.arrayNode();
                } else {
                    return null;
                }
                values[i] = v;
            }
            return v;
        }

        void visit(FieldVisitor visitor) {
            for (int i = 0; i < names.length; i++) {
                int at = span(i);
                if (at >= 0) {
                    visitor.text(names[i], source, at, spans[2 * i + 1]);
                } else if (at == FieldLayout.EMPTY_ARRAY) {
                    visitor.emptyArray(names[i]);
                } else {
                    visitor.value(names[i], values[i]);
                }
            }
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return ArrayEntries.of(names, this::value);
        }

        @Override
        public JsonNode get(Object key) {
            int i = key instanceof String k ? Arrays.binarySearch(names, k) : -1;
            return i < 0 ? null : value(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String k && Arrays.binarySearch(names, k) >= 0;
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
            for (int i = 0; i < names.length; i++) {
                action.accept(names[i], value(i));
            }
        }
    }

    public static CustomerRow of(String account, String form, String customerId, Instant modifiedAt,
            Instant extractedAt, Phase phase, Map<String, JsonNode> fields) {
        return new CustomerRow(VERSION, account, form, customerId, modifiedAt, extractedAt, phase, fields);
    }

    /** The record key on {@code kingdee.customers.v1}: {@code {account}:{FCUSTID}}. */
    public String key() {
        return key(account, customerId);
    }

    public static String key(String account, String customerId) {
        return account + ":" + customerId;
    }

    /** The field's value as text, or null when the field is absent or empty. */
    public String text(String field) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The number of the customer's use organization, with the extractor's folded name or Kingdee's own; null when absent. */
    public String useOrg() {
        String org = text("FUseOrgId.FNumber");
        return org != null ? org : text("FUseOrgId_FNumber");
    }

    /** The number of the customer's salesperson, with the extractor's folded name or Kingdee's own; null when absent. */
    public String salesperson() {
        String seller = text("FSELLER_FNumber");
        return seller != null ? seller : text("FSELLER.FNumber");
    }
}
