package io.kdpipe.sandbox.kingdee;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Runs an {@code ExecuteBillQuery} over the customer table as Kingdee would: field keys checked,
 * the filter applied, rows ordered, multiplied by bank-account lines when entry fields are
 * selected, capped by {@code TopRowCount}, then cut to the {@code StartRow}/{@code Limit} page.
 */
final class QueryEngine {

    private final CustomerTable table;

    QueryEngine(CustomerTable table) {
        this.table = table;
    }

    static final class QueryError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int msgCode;

        QueryError(int msgCode, String message) {
            super(message);
            this.msgCode = msgCode;
        }
    }

    ArrayNode query(JsonNode data) {
        String formId = data.path("FormId").asText("");
        if (formId.isBlank()) {
            throw new QueryError(5, "表单Id为空");
        }
        if (!formId.equalsIgnoreCase("BD_Customer")) {
            throw new QueryError(4, "业务对象 " + formId + " 不存在或已被删除");
        }
        String keys = data.path("FieldKeys").asText("");
        if (keys.isBlank()) {
            throw new QueryError(8, "字段名称(FieldKeys)不能为空");
        }
        List<String> fields = new ArrayList<>();
        for (String k : keys.split(",")) {
            String key = k.trim();
            fields.add(CustomerFields.canonical(key)
                    .orElseThrow(() -> new QueryError(9, "元数据中标识为" + key + "的字段不存在")));
        }
        Predicate<Function<String, Object>> filter;
        try {
            filter = FilterExpression.parse(data.path("FilterString").asText(""));
        } catch (FilterExpression.FilterException e) {
            throw new QueryError(4, e.getMessage());
        }
        Comparator<SandboxCustomer> order = order(data.path("OrderString").asText(""));
        boolean entries = fields.stream().anyMatch(CustomerFields::isEntry);
        List<SandboxCustomer> matching = new ArrayList<>();
        try {
            for (SandboxCustomer c : table.all()) {
                if (filter.test(c.header()::get)) {
                    matching.add(c);
                }
            }
        } catch (FilterExpression.FilterException e) {
            throw new QueryError(4, e.getMessage());
        }
        matching.sort(order);
        List<ArrayNode> rows = new ArrayList<>();
        for (SandboxCustomer c : matching) {
            List<Map<String, Object>> lines = entries && !c.bankAccounts().isEmpty() ? c.bankAccounts() : List.of(Map.of());
            for (Map<String, Object> line : lines) {
                ArrayNode row = JsonNodeFactory.instance.arrayNode();
                for (String f : fields) {
                    row.add(WireValues.toJson(CustomerFields.isEntry(f) ? line.get(f) : c.get(f)));
                }
                rows.add(row);
            }
        }
        int top = data.path("TopRowCount").asInt(0);
        if (top > 0 && rows.size() > top) {
            rows = rows.subList(0, top);
        }
        int start = Math.max(0, data.path("StartRow").asInt(0));
        int limit = data.path("Limit").asInt(0);
        int end = limit > 0 ? Math.min(rows.size(), start + limit) : rows.size();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = start; i < end; i++) {
            out.add(rows.get(i));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<SandboxCustomer> order(String orderString) {
        Comparator<SandboxCustomer> cmp = (a, b) -> 0;
        if (orderString.isBlank()) {
            return Comparator.comparingLong(SandboxCustomer::id);
        }
        for (String part : orderString.split(",")) {
            String[] words = part.trim().split("\\s+");
            String field = CustomerFields.canonical(words[0])
                    .orElseThrow(() -> new QueryError(9, "排序字段 " + words[0] + " 不存在"));
            boolean desc = words.length > 1 && words[1].equalsIgnoreCase("DESC");
            Comparator<SandboxCustomer> one = Comparator.comparing(c -> (Comparable) comparable(c.get(field)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            cmp = cmp.thenComparing(desc ? one.reversed() : one);
        }
        return cmp;
    }

    private static Comparable<?> comparable(Object v) {
        if (v instanceof Number n) {
            return new java.math.BigDecimal(n.toString());
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return (Comparable<?>) v;
    }

}
