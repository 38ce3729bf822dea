package io.kdpipe.sandbox.kingdee;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Runs an {@code ExecuteBillQuery} over the customer table as Kingdee would: field keys checked,
 * the filter applied, rows ordered, multiplied by bank-account lines when entry fields are
 * selected, capped by {@code TopRowCount}, then cut to the {@code StartRow}/{@code Limit} page.
 *
 * <p>A keyset page ordered by {@code FCUSTID} (what an extractor's snapshot asks for) costs the page,
 * not the table: the rows are walked in id order from the filter's {@code FCUSTID} bound and the walk
 * ends when the page is full. {@code FModifyDate DESC} alone (the newest change) walks an index kept
 * in that order the same way. Every other query filters and sorts the whole table.
 *
 * <p>{@link #answer} gives the JSON answer as each customer's rows rendered once per row version
 * and field list, so reading unchanged rows again costs little more than the walk.
 */
final class QueryEngine {

    private static final List<Map<String, Object>> NO_ENTRY = List.of(Map.of());

    private final CustomerTable table;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The last rendered answer rows per customer id. */
    private final Map<Long, Rendered> rendered = new ConcurrentHashMap<>();

    /** Answer rows served with only {@code FCUSTID} and {@code FModifyDate}, and with any other field. */
    final AtomicLong keyRowsServed = new AtomicLong();
    final AtomicLong fullRowsServed = new AtomicLong();
    /** Customers (header records) in answers with any other field: an answer's customer counts once however many lines it has. */
    final AtomicLong fullCustomersServed = new AtomicLong();

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
        return query(data, true);
    }

    /**
     * Runs the query; with {@code keyset} false it always takes the general path (filter every
     * row, sort), which the keyset path must match row for row.
     */
    ArrayNode query(JsonNode data, boolean keyset) {
        Selection s = select(data, keyset);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        s.forEachLine((c, line) -> out.add(row(s, c, line)));
        return out;
    }

    /**
     * The query's answer: the JSON Jackson writes for {@link #query(JsonNode)}'s array, as each
     * customer's rows rendered once per row version and field list and reused until the row changes
     * (the table's rows are immutable values, and every change puts a new one).
     */
    Answer answer(JsonNode data) {
        Selection s = select(data, true);
        List<byte[]> rows = new ArrayList<>();
        boolean narrow = keysAndDatesOnly(s.keys);
        AtomicLong served = narrow ? keyRowsServed : fullRowsServed;
        s.forEachLine((c, line) -> {
            served.incrementAndGet();
            if (!narrow && (line == 0 || rows.isEmpty())) {
                fullCustomersServed.incrementAndGet();
            }
            rows.add(rendered(s, c)[line]);
        });
        return new Answer(rows);
    }

    /**
     * An answer's rows, written out as one JSON array without being copied into one buffer first: a
     * page of 2,000 rows of 50 columns is 1.6 MB, which in a JVM with G1's usual regions is a
     * humongous allocation (and a growing buffer makes two more), each able to start a marking cycle.
     */
    record Answer(List<byte[]> rows) {

        /** The array's length in bytes. */
        int length() {
            int length = 2 + Math.max(0, rows.size() - 1);
            for (byte[] row : rows) {
                length += row.length;
            }
            return length;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write('[');
            for (int i = 0; i < rows.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(rows.get(i));
            }
            out.write(']');
        }
    }

    /** Whether a query selects only {@code FCUSTID} and {@code FModifyDate}: rows that cost the server little. */
    private static boolean keysAndDatesOnly(String[] keys) {
        return Arrays.stream(keys).allMatch(k -> k.equals("FCUSTID") || k.equals("FModifyDate"));
    }

    /** A customer's answer rows, one per result line, from the cache when it holds this version for these fields. */
    private byte[][] rendered(Selection s, SandboxCustomer c) {
        Rendered r = rendered.get(c.id());
        if (r != null && r.version == c && Arrays.equals(r.keys, s.keys)) {
            return r.lines;
        }
        List<Map<String, Object>> lines = linesOf(c, s.entries);
        byte[][] bytes = new byte[lines.size()][];
        for (int i = 0; i < bytes.length; i++) {
            try {
                bytes[i] = mapper.writeValueAsBytes(row(s, c, i));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a row of customer " + c.id(), e);
            }
        }
        rendered.put(c.id(), new Rendered(c, s.keys, bytes));
        return bytes;
    }

    /** One answer row: the selected fields of the customer's {@code line}-th result line. */
    private static ArrayNode row(Selection s, SandboxCustomer c, int line) {
        String[] keys = s.keys;
        boolean[] entry = s.entry;
        Map<String, Object> values = linesOf(c, s.entries).get(line);
        ArrayNode row = JsonNodeFactory.instance.arrayNode(keys.length);
        for (int i = 0; i < keys.length; i++) {
            String wire = entry[i] ? null : c.wireText(keys[i]);
            row.add(wire != null ? JsonNodeFactory.instance.textNode(wire)
                    : WireValues.toJson(entry[i] ? values.get(keys[i]) : c.get(keys[i])));
        }
        return row;
    }

    private static List<Map<String, Object>> linesOf(SandboxCustomer c, boolean entries) {
        return entries && !c.bankAccounts().isEmpty() ? c.bankAccounts() : NO_ENTRY;
    }

    /** The answer rows last rendered for a customer: which row version, for which fields. */
    private record Rendered(SandboxCustomer version, String[] keys, byte[][] lines) {
    }

    @FunctionalInterface
    private interface LineVisitor {
        void visit(SandboxCustomer c, int line);
    }

    /** The ordered customers a query matched, the result lines {@code [start, end)} to answer, and the fields. */
    private record Selection(List<SandboxCustomer> matching, long start, long end, String[] keys, boolean[] entry, boolean entries) {

        void forEachLine(LineVisitor visitor) {
            long index = 0;
            for (SandboxCustomer c : matching) {
                if (index >= end) {
                    break;
                }
                int count = lines(c, entries);
                if (index + count <= start) {
                    index += count;
                    continue;
                }
                for (int line = 0; line < count; line++) {
                    if (index >= start && index < end) {
                        visitor.visit(c, line);
                    }
                    index++;
                }
            }
        }
    }

    private Selection select(JsonNode data, boolean keyset) {
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
        String filterString = data.path("FilterString").asText("");
        Predicate<Function<String, Object>> filter;
        try {
            filter = FilterExpression.parse(filterString);
        } catch (FilterExpression.FilterException e) {
            throw new QueryError(4, e.getMessage());
        }
        String orderString = data.path("OrderString").asText("");
        Comparator<SandboxCustomer> order = order(orderString);
        boolean entries = fields.stream().anyMatch(CustomerFields::isEntry);
        int top = data.path("TopRowCount").asInt(0);
        int start = Math.max(0, data.path("StartRow").asInt(0));
        int limit = data.path("Limit").asInt(0);
        long wanted = limit > 0 ? (long) start + limit : Long.MAX_VALUE;
        if (top > 0) {
            wanted = Math.min(wanted, top);
        }
        List<SandboxCustomer> matching = null;
        try {
            if (keyset && orderedById(orderString)) {
                matching = keysetScan(filterString, filter, entries, wanted);
            } else if (keyset && newestFirst(orderString)) {
                CustomerTable.Scan scan = table.scanNewestFirst(c -> filter.test(c.header()::get), c -> lines(c, entries), wanted);
                matching = scan.tested() == 0 ? null : scan.matching();
            }
            if (matching == null) {
                matching = new ArrayList<>();
                for (SandboxCustomer c : table.all()) {
                    if (filter.test(c.header()::get)) {
                        matching.add(c);
                    }
                }
                matching.sort(order);
            }
        } catch (FilterExpression.FilterException e) {
            throw new QueryError(4, e.getMessage());
        }
        // rows [start, end) of the ordered result, capped by TopRowCount; only those are built
        long end = top > 0 ? top : Long.MAX_VALUE;
        if (limit > 0) {
            end = Math.min(end, (long) start + limit);
        }
        String[] keysOf = fields.toArray(new String[0]);
        boolean[] entry = new boolean[keysOf.length];
        for (int i = 0; i < keysOf.length; i++) {
            entry[i] = CustomerFields.isEntry(keysOf[i]);
        }
        return new Selection(matching, start, end, keysOf, entry, entries);
    }

    /** Whether the order is {@code FModifyDate DESC} alone (what an extractor asks for the newest change). */
    private static boolean newestFirst(String orderString) {
        String[] words = orderString.trim().split("\\s+");
        if (orderString.contains(",") || words.length != 2 || !words[1].equalsIgnoreCase("DESC")) {
            return false;
        }
        return CustomerFields.canonical(words[0]).filter("FModifyDate"::equals).isPresent();
    }

    /** How many result rows a customer makes: one per bank account when entry fields are selected. */
    private static int lines(SandboxCustomer c, boolean entries) {
        return entries && !c.bankAccounts().isEmpty() ? c.bankAccounts().size() : 1;
    }

    /** Whether the order is {@code FCUSTID} ascending alone (or none, which Kingdee orders by id). */
    private static boolean orderedById(String orderString) {
        if (orderString.isBlank()) {
            return true;
        }
        String[] words = orderString.trim().split("\\s+");
        if (orderString.contains(",") || words.length > 2) {
            return false;
        }
        boolean asc = words.length == 1 || words[1].equalsIgnoreCase("ASC");
        return asc && CustomerFields.canonical(words[0]).filter("FCUSTID"::equals).isPresent();
    }

    /**
     * The keyset path for queries ordered by {@code FCUSTID}: walks the table (kept ordered by id)
     * from the first id a top-level {@code FCUSTID >}/{@code >=} conjunct allows, tests the whole
     * filter row by row, and stops once the rows up to the end of the page are found. Null (use the
     * general path) when no row was tested, so a filter that cannot run fails as it does there.
     */
    private List<SandboxCustomer> keysetScan(String filterString, Predicate<Function<String, Object>> filter, boolean entries,
            long wanted) {
        BigDecimal from = FilterExpression.lowerBound(filterString, "FCUSTID").orElse(null);
        long fromId;
        if (from == null) {
            fromId = Long.MIN_VALUE;
        } else if (from.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
            return null;
        } else if (from.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) <= 0) {
            fromId = Long.MIN_VALUE;
        } else {
            fromId = from.setScale(0, RoundingMode.FLOOR).longValueExact();
        }
        CustomerTable.Scan scan = table.scanFrom(fromId, c -> filter.test(c.header()::get), c -> lines(c, entries), wanted);
        return scan.tested() == 0 ? null : scan.matching();
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
            return new BigDecimal(n.toString());
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return (Comparable<?>) v;
    }

}
