package io.kdpipe.extractor.rows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowFolderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ValueNormalizer normalizer = new ValueNormalizer(ZoneId.of("Asia/Shanghai"));

    @ParameterizedTest
    @CsvSource({
        "2024-04-11T23:52:02.583, 2024-04-11T23:52:02.583+08:00",
        "2019-02-13T15:46:44.72, 2019-02-13T15:46:44.720+08:00",
        "2023-07-03T00:00:00, 2023-07-03T00:00+08:00",
        "2023-07-03T00:00:00.5, 2023-07-03T00:00:00.500+08:00"})
    void shouldReadDatesWithZeroToThreeFractionDigitsInTheServerZone(String kingdee, String published) {
        assertThat(normalizer.normalizeDate(MAPPER.getNodeFactory().textNode(kingdee)).asText()).isEqualTo(published);
    }

    @Test
    void shouldReadDatesInAConfiguredZone() {
        ValueNormalizer utc = new ValueNormalizer(ZoneId.of("UTC"));
        assertThat(utc.normalizeDate(MAPPER.getNodeFactory().textNode("2024-04-11T23:52:02.583")).asText()).isEqualTo("2024-04-11T23:52:02.583Z");
        assertThat(ValueNormalizer.parseDate("2019-02-13T15:46:44.72")).isEqualTo(LocalDateTime.of(2019, 2, 13, 15, 46, 44, 720_000_000));
    }

    @Test
    void shouldTrimTextAndTurnEmptyIntoNull() {
        assertThat(normalizer.normalize(MAPPER.getNodeFactory().textNode("  上海华信科技有限公司 ")).asText()).isEqualTo("上海华信科技有限公司");
        assertThat(normalizer.normalize(MAPPER.getNodeFactory().textNode(" ")).isNull()).isTrue();
        assertThat(normalizer.normalize(MAPPER.getNodeFactory().textNode("")).isNull()).isTrue();
        assertThat(normalizer.normalize(MAPPER.getNodeFactory().numberNode(12)).asInt()).isEqualTo(12);
    }

    @Test
    void shouldFoldBankAccountLinesOfOneCustomerIntoArrays() throws Exception {
        RowFolder folder = new RowFolder(List.of("FCUSTID", "FName", "FSELLER.FNumber", "FModifyDate", "FBANKCODE"),
                Set.of("FBANKCODE"), normalizer);
        List<JsonNode[]> rows = rows("""
                [[1,"甲公司","XSY001","2024-01-01T10:00:00","6222-1"],
                 [1,"甲公司","XSY001","2024-01-01T10:00:00","6222-2"],
                 [2,"乙公司 ",null,"2024-01-02T10:00:00.1"," "],
                 [3,"丙公司","XSY003","2024-01-03T10:00:00","6222-3"]]""");

        List<FoldedCustomer> customers = folder.fold(rows).customers();

        assertThat(customers).extracting(FoldedCustomer::customerId).containsExactly("1", "2", "3");
        assertThat(customers.get(0).fields().get("FBANKCODE").toString()).isEqualTo("[\"6222-1\",\"6222-2\"]");
        assertThat(customers.get(0).fields()).containsKey("FSELLER_FNumber");
        assertThat(customers.get(1).fields().get("FBANKCODE").toString()).as("no account: an empty list").isEqualTo("[]");
        assertThat(customers.get(1).fields().get("FName").asText()).isEqualTo("乙公司");
        assertThat(customers.get(1).modifyDate()).isEqualTo(LocalDateTime.of(2024, 1, 2, 10, 0, 0, 100_000_000));
        assertThat(customers.get(1).versionKey()).isEqualTo("2@2024-01-02T10:00:00.100");
    }

    @Test
    void shouldSetApartCustomersWhoseKeyOrDateCannotBeReadAndFoldTheRest() throws Exception {
        RowFolder folder = new RowFolder(List.of("FCUSTID", "FName", "FModifyDate", "FBANKCODE"), Set.of("FBANKCODE"), normalizer);
        List<JsonNode[]> rows = rows("""
                [[1,"甲公司","2024-01-01T10:00:00","6222-1"],
                 [2,"乙公司","2024-13-01 00:00:00","6222-2"],
                 [2,"乙公司","2024-13-01 00:00:00","6222-3"],
                 ["A-3","丙公司","2024-01-03T10:00:00",null],
                 [null,"丁公司","2024-01-03T10:00:00",null],
                 ["5","戊公司","",null],
                 [6,"己公司","2024-01-04T10:00:00",null]]""");

        RowFolder.Folded folded = folder.fold(rows);

        assertThat(folded.customers()).extracting(FoldedCustomer::customerId).containsExactly("1", "5", "6");
        assertThat(folded.customers().get(1).modifyDate()).as("an empty date is no date, as null is").isNull();
        assertThat(folded.unreadable()).extracting(UnreadableCustomer::customerId).containsExactly("2", "A-3", null);
        assertThat(folded.unreadable()).extracting(UnreadableCustomer::reason).containsExactly(
                UnreadableCustomer.UNREADABLE_MODIFY_DATE, UnreadableCustomer.UNREADABLE_CUSTID, UnreadableCustomer.UNREADABLE_CUSTID);
        assertThat(folded.unreadable().get(0).message()).contains("2024-13-01 00:00:00");
        assertThat(folded.unreadable().get(0).lines()).as("every line of the customer, as sent").hasSize(2);
        assertThat(folded.unreadable().get(1).message()).contains("'A-3' is no whole number");
        assertThat(folded.unreadable().get(2).message()).isEqualTo("a row without FCUSTID");
    }

    private static List<JsonNode[]> rows(String json) throws Exception {
        List<JsonNode[]> out = new ArrayList<>();
        for (JsonNode row : MAPPER.readTree(json)) {
            JsonNode[] values = new JsonNode[row.size()];
            for (int i = 0; i < row.size(); i++) {
                values[i] = row.get(i);
            }
            out.add(values);
        }
        return out;
    }
}
