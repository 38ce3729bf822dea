package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
    public static final Codec<CustomerRow> CODEC = new Codec<>(CustomerRow.class, VERSION);

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
        // fields from ownedFields are sorted and unmodifiable already: kept as they are
        fields = fields instanceof OwnedFields ? fields : Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /**
     * The field map of a row, taking over a map the caller built for that row instead of copying it
     * again: the result is an unmodifiable view of {@code sorted}, and a row given it keeps it as it
     * is. The caller hands {@code sorted} over and must not change it afterwards. A map with its own
     * comparator is copied into the natural order the contract keeps.
     */
    public static Map<String, JsonNode> ownedFields(TreeMap<String, JsonNode> sorted) {
        Require.present(sorted, "fields");
        if (sorted.comparator() == null) {
            return new OwnedFields(sorted);
        }
        TreeMap<String, JsonNode> natural = new TreeMap<>();
        natural.putAll(sorted);
        return new OwnedFields(natural);
    }

    /** An unmodifiable view of a naturally ordered map that no one else changes. */
    private static final class OwnedFields extends AbstractMap<String, JsonNode> {
        private final Map<String, JsonNode> view;

        OwnedFields(TreeMap<String, JsonNode> sorted) {
            this.view = Collections.unmodifiableMap(sorted);
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return view.entrySet();
        }

        @Override
        public JsonNode get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
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
}
