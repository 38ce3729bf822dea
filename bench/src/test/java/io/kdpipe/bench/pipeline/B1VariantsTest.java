package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class B1VariantsTest {

    @Test
    void variantsFromTheCommandLineCarryTheirNameAndSettings() {
        var variants = B1TransformerThroughput.extraVariants("lz4:KAFKA_COMPRESSION_TYPE=lz4; big:KAFKA_BATCH_SIZE=262144,KAFKA_LINGER_MS=20;");

        assertThat(variants).extracting(B1TransformerThroughput.Variant::suffix).containsExactly("-lz4", "-big");
        assertThat(variants.get(1).settings()).isEqualTo(Map.of("KAFKA_BATCH_SIZE", "262144", "KAFKA_LINGER_MS", "20"));
        assertThat(B1TransformerThroughput.extraVariants("")).isEmpty();
    }

    @Test
    void aVariantWithoutANameOrWithoutAValueIsRefused() {
        assertThatThrownBy(() -> B1TransformerThroughput.extraVariants("KAFKA_BATCH_SIZE=1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected name:KEY=VALUE");
        assertThatThrownBy(() -> B1TransformerThroughput.extraVariants("big:KAFKA_BATCH_SIZE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected KEY=VALUE");
    }
}
