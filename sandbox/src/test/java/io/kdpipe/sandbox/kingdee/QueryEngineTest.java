package io.kdpipe.sandbox.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class QueryEngineTest {

    private static final String HEADER_KEYS = "FCUSTID,FNumber,FUseOrgId.FNumber,FModifyDate";
    private static final String ENTRY_KEYS = "FCUSTID,FNumber,FBANKCODE,FACCOUNTNAME";

    private final CustomerTable table = new CustomerTable(KingdeeSandboxOptions.defaults().withCustomers(400));
    private final QueryEngine engine = new QueryEngine(table);

    @Test
    void shouldAnswerKeysetPagesExactlyAsTheFullScanDoes() {
        List<Long> ids = table.ids();
        Random random = new Random(7);
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long after = ids.get(random.nextInt(ids.size()));
            filters.add("(FUseOrgId.FNumber = '101') AND FCUSTID > " + after);
            filters.add("FCUSTID >= " + after + " AND FDocumentStatus = 'C'");
            filters.add("FCUSTID > '" + after + "'");
            filters.add("FCUSTID > " + after + ".5");
        }
        filters.addAll(List.of("", "FUseOrgId.FNumber = '102'", "FCUSTID > 1 OR FCUSTID < 0", "NOT FCUSTID > 100200",
                "FCUSTID = " + ids.get(10), "FCUSTID > " + ids.get(ids.size() - 1), "FCUSTID > 99999999999999999999"));
        for (String filter : filters) {
            for (String order : List.of("", "FCUSTID ASC", "fcustid", "FCUSTID DESC", "FModifyDate ASC,FCUSTID ASC", "FModifyDate DESC",
                    "fmodifydate  desc")) {
                for (String keys : List.of(HEADER_KEYS, ENTRY_KEYS)) {
                    for (int[] page : new int[][] {{0, 7, 0}, {3, 7, 0}, {0, 0, 0}, {0, 50, 20}, {5, 2000, 0}}) {
                        ObjectNode q = query(keys, filter, order, page[0], page[1], page[2]);
                        assertThat(engine.query(q, true)).as("%s / %s / %s / %s", filter, order, keys, List.of(page[0], page[1], page[2]))
                                .isEqualTo(engine.query(q, false));
                    }
                }
            }
        }
    }

    @Test
    void shouldAnswerWithTheBytesTheQueryArrayWritesTo() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Long> ids = table.ids();
        for (String filter : List.of("", "FUseOrgId.FNumber = '101' AND FCUSTID > " + ids.get(37), "FDocumentStatus = 'C'")) {
            for (String order : List.of("", "FCUSTID ASC", "FModifyDate DESC", "FNumber DESC")) {
                for (String keys : List.of(HEADER_KEYS, ENTRY_KEYS, String.join(",", CustomerFields.HEADER), "FModifyDate")) {
                    for (int[] page : new int[][] {{0, 0, 0}, {3, 7, 0}, {0, 1, 0}, {10, 50, 20}}) {
                        ObjectNode q = query(keys, filter, order, page[0], page[1], page[2]);
                        byte[] expected = mapper.writeValueAsBytes(engine.query(q, false));
                        // the second answer comes from the rendered rows of the first
                        assertThat(bytes(engine.answer(q))).as("%s / %s / %s", filter, order, keys).isEqualTo(expected);
                        assertThat(bytes(engine.answer(q))).as("%s / %s / %s, again", filter, order, keys).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void shouldAnswerWithEveryChangeMadeAfterARowWasRead() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long id = table.ids().get(200);
        ObjectNode page = query("FCUSTID,FName,FDocumentStatus,FForbidStatus,FModifyDate", "FCUSTID >= " + id, "FCUSTID ASC", 0, 3, 0);
        ObjectNode newest = query("FCUSTID,FName,FModifyDate", "", "FModifyDate DESC", 0, 1, 0);
        engine.answer(page);
        engine.answer(newest);

        table.edit(id, Map.of("FName", "renamed"));
        table.approve(id);
        table.forbid(id);

        JsonNode answer = mapper.readTree(bytes(engine.answer(page)));
        assertThat(answer.get(0).get(1).asText()).isEqualTo("renamed");
        assertThat(answer.get(0).get(2).asText()).isEqualTo("C");
        assertThat(answer.get(0).get(3).asText()).isEqualTo("B");
        assertThat(bytes(engine.answer(page))).isEqualTo(mapper.writeValueAsBytes(engine.query(page, false)));
        // the edited row is now the newest change
        assertThat(mapper.readTree(bytes(engine.answer(newest))).get(0).get(0).asLong()).isEqualTo(id);
        assertThat(bytes(engine.answer(newest))).isEqualTo(mapper.writeValueAsBytes(engine.query(newest, false)));
    }

    @Test
    void shouldWriteDatesAsTheIsoFormatterDoes() {
        Random random = new Random(11);
        List<LocalDateTime> dates = new ArrayList<>(List.of(LocalDateTime.of(2023, 7, 3, 0, 0), LocalDateTime.of(2019, 2, 13, 15, 46, 44, 720_000_000),
                LocalDateTime.of(2024, 4, 11, 23, 52, 2, 583_000_000), LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999), LocalDateTime.of(999, 1, 1, 0, 0), LocalDateTime.of(10_000, 1, 1, 0, 0),
                LocalDateTime.of(-5, 1, 1, 0, 0, 0, 100)));
        for (int i = 0; i < 2000; i++) {
            dates.add(LocalDateTime.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24),
                    random.nextInt(60), random.nextInt(60), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000) * 1_000_000));
        }
        for (LocalDateTime d : dates) {
            assertThat(WireValues.date(d)).isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(d));
        }
    }

    @Test
    void shouldWalkOnlyAsFarAsThePageNeeds() {
        List<Long> ids = table.ids();
        CustomerTable.Scan scan = table.scanFrom(ids.get(100), c -> "101".equals(c.useOrg()), c -> 1, 5);
        assertThat(scan.matching()).hasSize(5).allSatisfy(c -> assertThat(c.useOrg()).isEqualTo("101"));
        assertThat(scan.matching().get(0).id()).isGreaterThanOrEqualTo(ids.get(100));
        assertThat(scan.tested()).isLessThan(20);
    }

    @Test
    void shouldSeeEditsMadeBetweenPages() {
        long id = table.ids().get(100);
        ObjectNode q = query("FCUSTID,FName", "FCUSTID >= " + id, "FCUSTID ASC", 0, 1, 0);
        table.edit(id, Map.of("FName", "renamed"));
        assertThat(engine.query(q).get(0).get(1).asText()).isEqualTo("renamed");
    }

    @Test
    void shouldStillRejectAFilterThatCannotRunPastTheLastRow() {
        long last = table.ids().get(table.ids().size() - 1);
        ObjectNode q = query(HEADER_KEYS, "FModifyDate > 'yesterday' AND FCUSTID > " + last, "FCUSTID ASC", 0, 10, 0);
        assertThatThrownBy(() -> engine.query(q)).isInstanceOf(QueryEngine.QueryError.class);
    }

    @Test
    void shouldFindTheIdBoundOnlyInTopLevelConjuncts() {
        assertThat(FilterExpression.lowerBound("(FUseOrgId.FNumber = '101') AND FCUSTID > 100123", "FCUSTID"))
                .contains(new BigDecimal("100123"));
        assertThat(FilterExpression.lowerBound("FCUSTID >= 5 AND fcustid > '9' AND FName = 'x'", "FCUSTID")).contains(new BigDecimal("9"));
        assertThat(FilterExpression.lowerBound("FCUSTID > 5 OR FName = 'x'", "FCUSTID")).isEmpty();
        assertThat(FilterExpression.lowerBound("NOT FCUSTID > 5", "FCUSTID")).isEmpty();
        assertThat(FilterExpression.lowerBound("(FCUSTID > 5 OR FCUSTID = 1)", "FCUSTID")).isEmpty();
        assertThat(FilterExpression.lowerBound("FCUSTID < 5", "FCUSTID")).isEmpty();
        assertThat(FilterExpression.lowerBound("", "FCUSTID")).isEmpty();
    }

    private static ObjectNode query(String keys, String filter, String order, int start, int limit, int top) {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.put("FormId", "BD_Customer");
        q.put("FieldKeys", keys);
        q.put("FilterString", filter);
        q.put("OrderString", order);
        q.put("StartRow", start);
        q.put("Limit", limit);
        q.put("TopRowCount", top);
        return q;
    }

    /** The answer as the bytes the sandbox writes to its response. */
    private static byte[] bytes(QueryEngine.Answer answer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length());
        answer.writeTo(out);
        return out.toByteArray();
    }
}
