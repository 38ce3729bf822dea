package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class CustomerRowFieldLayoutTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Instant T = Instant.parse("2026-11-28T02:02:03.583Z");

    @Test
    void shouldMakeTheSameRowAsACopiedMap() {
        CustomerRow sample = Samples.row();
        CustomerRow.FieldLayout layout = CustomerRow.FieldLayout.of(sample.fields().keySet());
        JsonNode[] values = new JsonNode[layout.size()];
        sample.fields().forEach((name, value) -> values[layout.indexOf(name)] = value);
        CustomerRow laidOut = CustomerRow.of(sample.account(), sample.form(), sample.customerId(), sample.modifiedAt(),
                sample.extractedAt(), sample.phase(), layout.fields(values));

        assertThat(laidOut).isEqualTo(sample);
        assertThat(sample).isEqualTo(laidOut);
        assertThat(laidOut.hashCode()).isEqualTo(sample.hashCode());
        assertThat(laidOut.toString()).isEqualTo(sample.toString());
        assertThat(CustomerRow.CODEC.encode(laidOut)).isEqualTo(CustomerRow.CODEC.encode(sample));
        assertThat(CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(laidOut))).isEqualTo(laidOut);
    }

    @Test
    void shouldKeepTheFieldsUnmodifiableAndInNaturalOrder() {
        CustomerRow.FieldLayout layout = CustomerRow.FieldLayout.of(List.of("FTEL", "FName", "FADDRESS", "FName"));
        assertThat(layout.size()).isEqualTo(3);
        assertThat(layout.indexOf("FMissing")).isEqualTo(-1);
        JsonNode[] values = new JsonNode[3];
        values[layout.indexOf("FName")] = F.textNode("Acme");
        values[layout.indexOf("FADDRESS")] = F.textNode("1 Road");
        values[layout.indexOf("FTEL")] = F.nullNode();
        CustomerRow row = CustomerRow.of("acct", "BD_Customer", "100001", T, T, CustomerRow.Phase.SNAPSHOT, layout.fields(values));

        assertThat(row.fields().keySet()).containsExactly("FADDRESS", "FName", "FTEL");
        assertThat(row.text("FName")).isEqualTo("Acme");
        assertThat(row.text("FTEL")).isNull();
        assertThat(row.text("FMissing")).isNull();
        assertThat(row.fields().containsKey("FTEL")).isTrue();
        assertThat(row.fields().get(42)).isNull();
        Map<String, JsonNode> copy = new HashMap<>(row.fields());
        assertThat(copy).isEqualTo(row.fields()).hasSize(3);
        assertThatThrownBy(() -> row.fields().put("FName", F.textNode("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.fields().entrySet().iterator().next().setValue(F.textNode("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.fields().remove("FName")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> layout.fields(new JsonNode[2])).isInstanceOf(IllegalArgumentException.class);
    }
}
