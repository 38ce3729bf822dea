package io.kdpipe.extractor.rows;

import java.time.LocalDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One customer built from the one or more rows Kingdee returned for its {@code FCUSTID}.
 *
 * @param customerId  {@code FCUSTID} as text
 * @param modifyDate  {@code FModifyDate} in server-local time; null if Kingdee gave none
 * @param fields      normalised values by flattened field key ({@code FSELLER.FNumber} → {@code FSELLER_FNumber});
 *                    entry fields as arrays, one element per entry line
 */
public record FoldedCustomer(String customerId, LocalDateTime modifyDate, Map<String, JsonNode> fields) {

    /** Identifies this version of the customer: {@code FCUSTID@FModifyDate}. */
    public String versionKey() {
        return customerId + "@" + (modifyDate == null ? "" : modifyDate.toString());
    }
}
