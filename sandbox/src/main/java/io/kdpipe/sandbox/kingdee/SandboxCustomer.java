package io.kdpipe.sandbox.kingdee;

import java.time.LocalDateTime;
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
        header = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(header));
        bankAccounts = bankAccounts.stream()
                .map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)))
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

    SandboxCustomer with(Map<String, Object> changes) {
        Map<String, Object> h = new LinkedHashMap<>(header);
        h.putAll(changes);
        return new SandboxCustomer(id, h, bankAccounts);
    }
}
