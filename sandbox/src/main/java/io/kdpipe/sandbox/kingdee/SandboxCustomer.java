package io.kdpipe.sandbox.kingdee;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer row of the sandbox table (one customer in one use-organisation), as stored: header
 * values by canonical field key and the bank-account entry lines. Values are {@link String},
 * {@link Number}, {@link Boolean}, {@link LocalDateTime} or null.
 */
public record SandboxCustomer(long id, Map<String, Object> header, List<Map<String, Object>> bankAccounts) {

    public SandboxCustomer {
        header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
        bankAccounts = bankAccounts.stream()
                .map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)))
                .toList();
    }

    public LocalDateTime modifyDate() {
        return (LocalDateTime) header.get("FModifyDate");
    }

    public String number() {
        return (String) header.get("FNumber");
    }

    public String name() {
        return (String) header.get("FName");
    }

    public String useOrg() {
        return (String) header.get("FUseOrgId.FNumber");
    }

    public Object get(String canonicalField) {
        return header.get(canonicalField);
    }

    /** The key under which a header value's text on the wire is kept, where it differs from the stored value. */
    static String wireKey(String canonicalField) {
        return canonicalField + WIRE_SUFFIX;
    }

    private static final String WIRE_SUFFIX = "@wire";

    /** The text Kingdee writes for a header field instead of its stored value, or null when it writes the value. */
    public String wireText(String canonicalField) {
        return (String) header.get(wireKey(canonicalField));
    }

    /** A save writes every value as stored again: a text served in place of a value lasts until the next save. */
    SandboxCustomer with(Map<String, Object> changes) {
        Map<String, Object> h = new LinkedHashMap<>(header);
        h.keySet().removeIf(k -> k.endsWith(WIRE_SUFFIX));
        h.putAll(changes);
        return new SandboxCustomer(id, h, bankAccounts);
    }
}
