package io.kdpipe.transformer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.CustomerRow;

/** Customer rows for tests: a baseline customer whose fields a test overrides. */
final class Rows {

    static final String ACCOUNT = "5867f8d847e804";
    static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    private Rows() {
    }

    static Builder customer(String id) {
        return new Builder(id);
    }

    static String key(String id) {
        return CustomerRow.key(ACCOUNT, id);
    }

    static final class Builder {
        private final String id;
        private final Map<String, String> fields = new LinkedHashMap<>();
        private Instant modifiedAt = T0;
        private CustomerRow.Phase phase = CustomerRow.Phase.INCREMENTAL;

        Builder(String id) {
            this.id = id;
            fields.put("FNumber", "C" + id);
            fields.put("FName", "上海华东电子有限公司" + id);
            fields.put("FUseOrgId_FNumber", "100");
            fields.put("FSELLER_FNumber", "XSY007");
            fields.put("FSALDEPTID_FNumber", "BM01");
            fields.put("FDocumentStatus", "A");
            fields.put("FForbidStatus", "A");
            fields.put("FTEL", "021-5555 0101");
        }

        Builder with(String field, String value) {
            fields.put(field, value);
            return this;
        }

        Builder modifiedAt(Instant at) {
            this.modifiedAt = at;
            return this;
        }

        Builder minutesLater(int minutes) {
            return modifiedAt(T0.plusSeconds(60L * minutes));
        }

        Builder snapshot() {
            this.phase = CustomerRow.Phase.SNAPSHOT;
            return this;
        }

        CustomerRow build() {
            Map<String, JsonNode> json = new LinkedHashMap<>();
            fields.forEach((k, v) -> json.put(k, v == null ? null : TextNode.valueOf(v)));
            json.put("FModifyDate", TextNode.valueOf(modifiedAt.toString()));
            return CustomerRow.of(ACCOUNT, "BD_Customer", id, modifiedAt, modifiedAt.plusSeconds(5), phase, json);
        }
    }
}
