package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
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
        fields = Collections.unmodifiableMap(new TreeMap<>(Require.present(fields, "fields")));
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
