package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class CustomerRowWriterTest {

    @Test
    void shouldWriteTheSameBytesAsTheSharedMapper() throws Exception {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("FNumber", TextNode.valueOf("CUST00012"));
        fields.put("FName", TextNode.valueOf("上海华东电子有限公司 \"总部\" \\ \n\t\u0001"));
        fields.put("FCUSTID", LongNode.valueOf(100231));
        fields.put("FMarginLevel", DecimalNode.valueOf(new BigDecimal("0.150")));
        fields.put("FCreditAmount", DecimalNode.valueOf(new BigDecimal("1E+3")));
        fields.put("FIsTrade", BooleanNode.TRUE);
        fields.put("FDescription", NullNode.getInstance());
        fields.put("FModifyDate", TextNode.valueOf("2026-11-28T10:02:03.583+08:00"));
        fields.put("FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 0001").addNull().add(new BigDecimal("2.50")));
        fields.put("FUseOrgId_FNumber", TextNode.valueOf("101"));
        fields.put("a_lower", TextNode.valueOf("sorted after upper case"));
        CustomerRowWriter page = new CustomerRowWriter();
        for (CustomerRow.Phase phase : CustomerRow.Phase.values()) {
            for (Instant at : new Instant[] {Instant.parse("2026-11-28T02:02:03.583Z"), Instant.parse("2026-11-28T02:02:03Z"),
                    Instant.parse("2026-11-28T02:02:03.000120Z"), Instant.EPOCH}) {
                CustomerRow row = CustomerRow.of("5867f8d847e804", "BD_Customer", "100231", at, at.plusNanos(1_500_000), phase, fields);
                byte[] expected = Json.mapper().writeValueAsBytes(row);
                assertThat(new String(CustomerRowWriter.encode(row), StandardCharsets.UTF_8))
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(CustomerRowWriter.encode(row)).isEqualTo(expected);
                assertThat(page.write(row)).as("one writer for many rows").isEqualTo(expected);
                assertThat(CustomerRow.CODEC.encode(row)).as("the codec writes through it").isEqualTo(expected);
            }
        }
        page.close();
    }

    @Test
    void shouldWriteARowWithoutFields() throws Exception {
        CustomerRow row = CustomerRow.of("a", "BD_Customer", "1", Instant.EPOCH, Instant.EPOCH, CustomerRow.Phase.SNAPSHOT, Map.of());
        assertThat(CustomerRowWriter.encode(row)).isEqualTo(Json.mapper().writeValueAsBytes(row));
    }
}
