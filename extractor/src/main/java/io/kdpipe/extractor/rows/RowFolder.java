package io.kdpipe.extractor.rows;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kdpipe.common.contract.CustomerRow;

/**
 * Folds the rows of one query into customers. A query that selects entry fields (the bank
 * accounts) returns one row per entry line with the header repeated, like an SQL join; consecutive
 * rows sharing {@code FCUSTID} become one customer whose entry fields are arrays, one element per
 * line that has any entry value. Field keys are flattened to the seed's column names
 * ({@code FUseOrgId.FNumber} → {@code FUseOrgId_FNumber}).
 */
public final class RowFolder {

    private final List<String> fieldKeys;
    private final List<String> columns;
    private final boolean[] entry;
    private final boolean[] date;
    private final int idIndex;
    private final int modifyIndex;
    private final ValueNormalizer normalizer;
    /** The row contract's field order, and where each column's value goes in it. */
    private final CustomerRow.FieldLayout layout;
    private final int[] slot;

    public RowFolder(List<String> fieldKeys, Set<String> entryFieldKeys, ValueNormalizer normalizer) {
        this(fieldKeys, entryFieldKeys, Set.copyOf(ValueNormalizer.DATE_FIELDS), normalizer);
    }

    /**
     * @param dateFieldKeys the fields whose values are read as dates (matched without regard to case);
     *                      every other field's text stays text
     */
    public RowFolder(List<String> fieldKeys, Set<String> entryFieldKeys, Set<String> dateFieldKeys, ValueNormalizer normalizer) {
        this.fieldKeys = List.copyOf(fieldKeys);
        Set<String> dates = dateFieldKeys.stream().map(k -> k.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        this.date = new boolean[fieldKeys.size()];
        for (int i = 0; i < fieldKeys.size(); i++) {
            date[i] = dates.contains(fieldKeys.get(i).trim().toUpperCase(Locale.ROOT));
        }
        this.columns = fieldKeys.stream().map(RowFolder::column).toList();
        Set<String> entries = entryFieldKeys.stream().map(k -> k.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        this.entry = new boolean[fieldKeys.size()];
        for (int i = 0; i < fieldKeys.size(); i++) {
            entry[i] = entries.contains(fieldKeys.get(i).toUpperCase(Locale.ROOT));
        }
        this.idIndex = indexOf("FCUSTID");
        this.modifyIndex = indexOf("FModifyDate");
        this.normalizer = normalizer;
        this.layout = CustomerRow.FieldLayout.of(columns);
        this.slot = columns.stream().mapToInt(layout::indexOf).toArray();
    }

    /** The column name a field key is published under. */
    public static String column(String fieldKey) {
        return fieldKey.trim().replace('.', '_');
    }

    public List<String> fieldKeys() {
        return fieldKeys;
    }

    /**
     * What groups a raw row with the rows of the same customer: {@code FCUSTID} as text, whether or
     * not it can be read ({@code ""} without one).
     */
    public String groupId(JsonNode[] row) {
        JsonNode id = row[idIndex];
        if (id == null || id.isNull()) {
            return "";
        }
        return id.isIntegralNumber() ? id.asText() : id.asText().strip(); // a whole number's text is its decimal digits
    }

    /** An {@code FCUSTID} value as text, or null when it is no whole number (Kingdee's ids are). */
    public static String idText(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isIntegralNumber()) {
            return id.asText();
        }
        String t = id.isTextual() ? id.asText().strip() : "";
        return WHOLE_NUMBER.matcher(t).matches() ? new BigInteger(t).toString() : null;
    }

    /** A whole number as Kingdee writes {@code FCUSTID}. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,30}");

    /** The customers of a page: those that can be published, and those that cannot be read, each in query order. */
    public record Folded(List<FoldedCustomer> customers, List<UnreadableCustomer> unreadable) {
    }

    /** Folds rows (in query order) into customers, in the same order; rows that cannot be read are set apart. */
    public Folded fold(List<JsonNode[]> rows) {
        List<FoldedCustomer> out = new ArrayList<>();
        List<UnreadableCustomer> unreadable = new ArrayList<>(0);
        int i = 0;
        while (i < rows.size()) {
            String group = groupId(rows.get(i));
            int j = i + 1;
            while (j < rows.size() && groupId(rows.get(j)).equals(group)) {
                j++;
            }
            List<JsonNode[]> lines = rows.subList(i, j);
            UnreadableCustomer bad = unreadable(group, lines.get(0));
            if (bad == null) {
                out.add(foldOne(idText(lines.get(0)[idIndex]), lines));
            } else {
                unreadable.add(new UnreadableCustomer(bad.customerId(), bad.reason(), bad.message(), List.copyOf(lines)));
            }
            i = j;
        }
        return new Folded(out, unreadable);
    }

    /** Why a customer's head row cannot be placed in the keyset order, or null when it can. */
    private UnreadableCustomer unreadable(String group, JsonNode[] head) {
        String raw = group.isEmpty() ? null : group;
        if (idText(head[idIndex]) == null) {
            return new UnreadableCustomer(raw, UnreadableCustomer.UNREADABLE_CUSTID,
                    raw == null ? "a row without FCUSTID" : "FCUSTID '" + raw + "' is no whole number", List.of());
        }
        JsonNode modify = head[modifyIndex];
        if (modify != null && !modify.isNull()) {
            if (!modify.isTextual()) {
                return new UnreadableCustomer(raw, UnreadableCustomer.UNREADABLE_MODIFY_DATE,
                        "FModifyDate " + modify + " is no date-time", List.of());
            }
            try {
                ValueNormalizer.parseDate(modify.asText());
            } catch (IllegalArgumentException e) {
                return new UnreadableCustomer(raw, UnreadableCustomer.UNREADABLE_MODIFY_DATE,
                        "FModifyDate '" + modify.asText() + "' is no date-time", List.of());
            }
        }
        return null;
    }

    private FoldedCustomer foldOne(String id, List<JsonNode[]> lines) {
        JsonNode[] head = lines.get(0);
        // in the order the row contract keeps them, so the row takes them over without copying them
        JsonNode[] fields = new JsonNode[layout.size()];
        List<JsonNode[]> entryLines = lines.stream().filter(this::hasEntryValue).toList();
        for (int c = 0; c < columns.size(); c++) {
            if (entry[c]) {
                ArrayNode values = JsonNodeFactory.instance.arrayNode();
                for (JsonNode[] line : entryLines) {
                    values.add(value(c, line[c]));
                }
                fields[slot[c]] = values;
            } else {
                fields[slot[c]] = value(c, head[c]);
            }
        }
        JsonNode modify = head[modifyIndex];
        LocalDateTime modifyDate = modify == null || modify.isNull() ? null : ValueNormalizer.parseDate(modify.asText());
        return new FoldedCustomer(id, modifyDate, layout.fields(fields));
    }

    private JsonNode value(int column, JsonNode raw) {
        return date[column] ? normalizer.normalizeDate(raw) : normalizer.normalize(raw);
    }

    private boolean hasEntryValue(JsonNode[] line) {
        for (int c = 0; c < line.length; c++) {
            if (entry[c] && !ValueNormalizer.isEmpty(line[c])) {
                return true;
            }
        }
        return false;
    }

    private int indexOf(String key) {
        for (int i = 0; i < fieldKeys.size(); i++) {
            if (fieldKeys.get(i).trim().equalsIgnoreCase(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the field keys must include " + key);
    }
}
