package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.rows.FoldedCustomer;
import io.kdpipe.extractor.rows.RowFolder;
import io.kdpipe.extractor.rows.ValueNormalizer;
import org.junit.jupiter.api.Test;

class PageFetcherTest {

    private static final JobSpec SPEC = new JobSpec("j", "acct", "BD_Customer", List.of("FCUSTID", "FModifyDate", "FBANKCODE"),
            Set.of("FBANKCODE"), "", 3, Duration.ofSeconds(1), Duration.ofMinutes(1));

    /** Kingdee's rows for the whole result: customer id and bank code per line. */
    private final List<JsonNode[]> table = new ArrayList<>();
    private final List<BillQuery> asked = new ArrayList<>();

    private PageFetcher fetcher() {
        KingdeeQuery query = q -> {
            asked.add(q);
            return table.subList(Math.min(q.startRow(), table.size()), Math.min(q.startRow() + q.limit(), table.size()));
        };
        return new PageFetcher(SPEC, query, new RowFolder(SPEC.fieldKeys(), SPEC.entryFieldKeys(), new ValueNormalizer(ZoneId.of("UTC"))));
    }

    private void line(long id, String bank) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        table.add(new JsonNode[] {f.numberNode(id), f.textNode("2024-01-01T00:00:00"), f.textNode(bank)});
    }

    @Test
    void shouldHoldBackTheCustomerAtTheEndOfAFullPage() throws Exception {
        line(1, "a");
        line(2, "b1");
        line(2, "b2"); // customer 2 may go on beyond this page
        line(2, "b3");

        PageFetcher.Page page = fetcher().fetch("", "FCUSTID ASC");

        assertThat(page.customers()).extracting(FoldedCustomer::customerId).containsExactly("1");
        assertThat(page.last()).isFalse();
    }

    @Test
    void shouldReadOnACustomerWhoseLinesFillWholePages() throws Exception {
        for (int i = 0; i < 7; i++) {
            line(5, "k" + i);
        }
        line(6, "x");

        PageFetcher.Page page = fetcher().fetch("", "FCUSTID ASC");

        assertThat(page.customers()).hasSize(1);
        assertThat(page.customers().get(0).fields().get("FBANKCODE")).hasSize(7);
        assertThat(page.last()).isFalse();
        assertThat(asked).extracting(BillQuery::startRow).containsExactly(0, 3, 6);
        assertThat(asked).extracting(BillQuery::limit).containsOnly(3);
    }

    @Test
    void shouldEndOnAShortPage() throws Exception {
        line(1, "a");
        line(2, "b");
        PageFetcher.Page page = fetcher().fetch("", "FCUSTID ASC");
        assertThat(page.customers()).extracting(FoldedCustomer::customerId).containsExactly("1", "2");
        assertThat(page.last()).isTrue();
    }
}
