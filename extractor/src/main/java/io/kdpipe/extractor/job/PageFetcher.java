package io.kdpipe.extractor.job;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.UnreadableCustomer;

/**
 * Reads one page of whole customers. Paging counts entry rows, so a customer's lines can straddle
 * a page boundary: a full page holds back its last customer, which the next page (keyed after the
 * customer before it) reads whole. A customer whose lines alone fill a page is read on with
 * {@code StartRow} until its lines end.
 */
public final class PageFetcher {

    /**
     * Whole customers in query order; {@code last} when the query has nothing after them. The rows
     * are folded into customers when first asked for (the last customer alone can be had without
     * folding the page); a page is handed from one thread to another at most once, through a
     * {@link java.util.concurrent.Future}.
     */
    static final class Page {
        private final List<JsonNode[]> rows;
        private final boolean last;
        private final RowFolder folder;
        private RowFolder.Folded folded;

        Page(List<JsonNode[]> rows, boolean last, RowFolder folder) {
            this.rows = rows;
            this.last = last;
            this.folder = folder;
        }

        boolean last() {
            return last;
        }

        /** The customers that can be published. */
        List<FoldedCustomer> customers() {
            return folded().customers();
        }

        /** The customers whose key or date cannot be read (see {@link RowFolder#fold}). */
        List<UnreadableCustomer> unreadable() {
            return folded().unreadable();
        }

        private RowFolder.Folded folded() {
            if (folded == null) {
                folded = folder.fold(rows);
            }
            return folded;
        }

        /**
         * The page's last customer that can be read (what the next keyset page starts after); null for
         * a page without one.
         */
        FoldedCustomer lastCustomer() {
            if (folded == null && !rows.isEmpty()) {
                List<FoldedCustomer> last = folder.fold(rows.subList(startOfLastCustomer(folder, rows), rows.size())).customers();
                if (!last.isEmpty()) {
                    return last.get(0);
                }
            }
            List<FoldedCustomer> customers = customers();
            return customers.isEmpty() ? null : customers.get(customers.size() - 1);
        }
    }

    private final JobSpec spec;
    private final KingdeeQuery query;
    private final RowFolder folder;

    public PageFetcher(JobSpec spec, KingdeeQuery query, RowFolder folder) {
        this.spec = spec;
        this.query = query;
        this.folder = folder;
    }

    Page fetch(String filter, String order) throws InterruptedException {
        BillQuery q = new BillQuery(spec.formId(), spec.fieldKeys(), filter, order, 0, spec.pageSize());
        List<JsonNode[]> rows = query.execute(q);
        if (rows.size() < spec.pageSize()) {
            return new Page(rows, true, folder);
        }
        int cut = startOfLastCustomer(folder, rows);
        if (cut > 0) {
            return new Page(rows.subList(0, cut), false, folder);
        }
        String id = folder.groupId(rows.get(0));
        List<JsonNode[]> lines = new ArrayList<>(rows);
        int start = spec.pageSize();
        while (true) {
            List<JsonNode[]> more = query.execute(q.withStartRow(start));
            boolean ended = false;
            for (JsonNode[] row : more) {
                if (folder.groupId(row).equals(id)) {
                    lines.add(row);
                } else {
                    ended = true;
                    break;
                }
            }
            if (ended) {
                return new Page(lines, false, folder);
            }
            if (more.size() < spec.pageSize()) {
                return new Page(lines, true, folder);
            }
            start += spec.pageSize();
        }
    }

    /** Where the trailing run of rows of the last row's customer begins (0: every row is that customer's). */
    private static int startOfLastCustomer(RowFolder folder, List<JsonNode[]> rows) {
        String lastId = folder.groupId(rows.get(rows.size() - 1));
        int cut = rows.size() - 1;
        while (cut > 0 && folder.groupId(rows.get(cut - 1)).equals(lastId)) {
            cut--;
        }
        return cut;
    }
}
