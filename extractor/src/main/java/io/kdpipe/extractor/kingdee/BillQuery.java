package io.kdpipe.extractor.kingdee;

import java.util.List;
import java.util.Objects;

/**
 * One {@code ExecuteBillQuery} page request. {@code TopRowCount} is always 0: it caps the whole
 * result, so a non-zero value makes later pages come back empty.
 *
 * @param formId    e.g. {@code BD_Customer}
 * @param fieldKeys the columns, in the order each row's values come back
 * @param filter    the {@code FilterString}; blank for none
 * @param order     the {@code OrderString}; must be unique and stable for paging
 * @param startRow  0-based offset of the page
 * @param limit     page size, at most 2000
 */
public record BillQuery(String formId, List<String> fieldKeys, String filter, String order, int startRow, int limit) {

    public static final int MAX_LIMIT = 2000;

    public BillQuery {
        Objects.requireNonNull(formId, "formId");
        fieldKeys = List.copyOf(fieldKeys);
        if (fieldKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one field key is needed");
        }
        filter = filter == null ? "" : filter;
        order = order == null ? "" : order;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }

    public BillQuery withStartRow(int startRow) {
        return new BillQuery(formId, fieldKeys, filter, order, startRow, limit);
    }
}
