package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Instant;

import io.kdpipe.common.contract.CustomerRow;
import org.junit.jupiter.api.Test;

class FloorTopologyTest {

    @Test
    void shouldTellAChangedRowFromASaveThatMovedOnlyItsVersion() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        // B1's rows: version 1 moves the address, version 2 only FModifyDate
        CustomerRow v1 = Rows.row(7, 1, 24, true, CustomerRow.Phase.INCREMENTAL);
        CustomerRow v2 = Rows.row(7, 2, 24, true, CustomerRow.Phase.INCREMENTAL);
        CustomerRow read = CustomerRow.of(v2.account(), v2.form(), v2.customerId(), v2.modifiedAt(), Instant.parse("2027-01-01T00:00:00Z"),
                v2.phase(), v2.fields());
        byte[] f0 = FloorTopology.fingerprint(sha256, CustomerRow.CODEC.encode(Rows.row(7, 0, 24, true, CustomerRow.Phase.INCREMENTAL)));
        byte[] f1 = FloorTopology.fingerprint(sha256, CustomerRow.CODEC.encode(v1));
        byte[] f2 = FloorTopology.fingerprint(sha256, CustomerRow.CODEC.encode(v2));

        assertThat(v2.modifiedAt()).isNotEqualTo(v1.modifiedAt());
        assertThat(f1).isNotEqualTo(f0);
        assertThat(f2).isEqualTo(f1);
        assertThat(FloorTopology.fingerprint(sha256, CustomerRow.CODEC.encode(read))).isEqualTo(f2);
    }
}
