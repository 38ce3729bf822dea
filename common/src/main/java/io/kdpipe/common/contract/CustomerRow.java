package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

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
            if (values.length != names.length) {
                throw new IllegalArgumentException("expected " + names.length + " values, got " + values.length);
            }
            return new LaidOutFields(names, values);
        }
    }

    /** A row's fields as sorted names and their values; nothing changes either array. */
    private static final class LaidOutFields extends AbstractMap<String, JsonNode> {
        private final String[] names;
        private final JsonNode[] values;

        LaidOutFields(String[] names, JsonNode[] values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Entry<String, JsonNode> next() {
                            if (next >= names.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, JsonNode> e = new SimpleImmutableEntry<>(names[next], values[next]);
                            next++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }

        @Override
        public JsonNode get(Object key) {
            int i = key instanceof String k ? Arrays.binarySearch(names, k) : -1;
            return i < 0 ? null : values[i];
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
                action.accept(names[i], values[i]);
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
        JsonNode node = fields.getOrDefault(field, NullNode.getInstance());
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
