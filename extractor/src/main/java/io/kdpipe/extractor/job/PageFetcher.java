package io.kdpipe.extractor.job;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.RowFolder;

/**
 * Reads one page of whole customers. Paging counts entry rows, so a customer's lines can straddle
 * a page boundary: a full page holds back its last customer, which the next page (keyed after the
 * customer before it) reads whole. A customer whose lines alone fill a page is read on with
 * {@code StartRow} until its lines end.
 */
final class PageFetcher {

    /** Whole customers in query order; {@code last} when the query has nothing after them. */
    record Page(List<FoldedCustomer> customers, boolean last) {
    }

    private final JobSpec spec;
    private final KingdeeQuery query;
    private final RowFolder folder;

    PageFetcher(JobSpec spec, KingdeeQuery query, RowFolder folder) {
        this.spec = spec;
        this.query = query;
        this.folder = folder;
    }

    Page fetch(String filter, String order) throws InterruptedException {
        BillQuery q = new BillQuery(spec.formId(), spec.fieldKeys(), filter, order, 0, spec.pageSize());
        List<JsonNode[]> rows = query.execute(q);
        if (rows.size() < spec.pageSize()) {
            return new Page(folder.fold(rows), true);
        }
        List<FoldedCustomer> customers = folder.fold(rows);
        if (customers.size() > 1) {
            return new Page(customers.subList(0, customers.size() - 1), false);
        }
        String id = customers.get(0).customerId();
        List<JsonNode[]> lines = new ArrayList<>(rows);
        int start = spec.pageSize();
        while (true) {
            List<JsonNode[]> more = query.execute(q.withStartRow(start));
            boolean ended = false;
            for (JsonNode[] row : more) {
                if (folder.customerId(row).equals(id)) {
                    lines.add(row);
                } else {
                    ended = true;
                    break;
                }
            }
            if (ended) {
                return new Page(folder.fold(lines), false);
            }
            if (more.size() < spec.pageSize()) {
                return new Page(folder.fold(lines), true);
            }
            start += spec.pageSize();
        }
    }
}
