package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class CustomerRowOwnedFieldsTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Instant T = Instant.parse("2026-11-28T02:02:03.583Z");

    @Test
    void shouldMakeTheSameRowAsACopiedMap() {
        CustomerRow sample = Samples.row();
        TreeMap<String, JsonNode> built = new TreeMap<>(sample.fields());
        CustomerRow owned = CustomerRow.of(sample.account(), sample.form(), sample.customerId(), sample.modifiedAt(),
                sample.extractedAt(), sample.phase(), CustomerRow.ownedFields(built));

        assertThat(owned).isEqualTo(sample);
        assertThat(owned.hashCode()).isEqualTo(sample.hashCode());
        assertThat(CustomerRow.CODEC.encode(owned)).isEqualTo(CustomerRow.CODEC.encode(sample));
        assertThat(CustomerRow.CODEC.decode(CustomerRow.CODEC.encode(owned))).isEqualTo(owned);
    }

    @Test
    void shouldKeepTheFieldsUnmodifiableAndInNaturalOrder() {
        TreeMap<String, JsonNode> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("FName", F.textNode("Acme"));
        reversed.put("FADDRESS", F.textNode("1 Road"));
        reversed.put("FTEL", F.nullNode());
        Map<String, JsonNode> fields = CustomerRow.ownedFields(reversed);
        CustomerRow row = CustomerRow.of("acct", "BD_Customer", "100001", T, T, CustomerRow.Phase.SNAPSHOT, fields);

        assertThat(row.fields().keySet()).containsExactly("FADDRESS", "FName", "FTEL");
        assertThat(row.text("FName")).isEqualTo("Acme");
        assertThat(row.text("FTEL")).isNull();
        assertThatThrownBy(() -> row.fields().put("FName", F.textNode("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.fields().entrySet().iterator().next().setValue(F.textNode("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.fields().remove("FName")).isInstanceOf(UnsupportedOperationException.class);
    }
}
