package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.change.CustomerState;
import io.kdpipe.transformer.change.Fingerprint;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** State stored by an earlier version (legacy fingerprints) keeps its verdicts after an upgrade. */
class StateUpgradeTest {

    @Test
    void shouldCompareALegacyFingerprintWithTheRowsLegacyFingerprintOnce() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_WATCHED_FIELDS", "FName"))) {
            seed(h, Rows.customer("1001").build(), Fingerprint.legacy(Rows.customer("1001").build()));
            seed(h, Rows.customer("1002").build(), Fingerprint.legacy(Rows.customer("1002").build()));

            h.send(Rows.customer("1001").minutesLater(5));
            h.send(Rows.customer("1002").with("FTEL", "021-6666 0000").minutesLater(5));
            h.send(Rows.customer("1001").minutesLater(6));

            assertThat(h.readNotices()).isEmpty();
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "MODIFY_DATE_ONLY")).isEqualTo(2);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "UNWATCHED_FIELDS_ONLY")).isEqualTo(1);
            assertThat(store(h).get(Rows.key("1001")).fingerprint()).startsWith(Fingerprint.SCHEME);
        }
    }

    @Test
    void shouldCompareOnlyWatchedFieldsAgainstAFingerprintOfAnUnknownScheme() {
        try (TransformerHarness h = TransformerHarness.start(Map.of("KDPIPE_WATCHED_FIELDS", "FName"))) {
            seed(h, Rows.customer("1001").build(), "zz:not-a-known-scheme");

            h.send(Rows.customer("1001").with("FTEL", "021-6666 0000").minutesLater(5));
            h.send(Rows.customer("1001").with("FName", "新名字").minutesLater(6));

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Notice.Kind.CHANGED);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "MODIFY_DATE_ONLY")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.suppressed", "reason", "UNWATCHED_FIELDS_ONLY")).isZero();
        }
    }

    private static void seed(TransformerHarness h, CustomerRow row, String fingerprint) {
        CustomerState fresh = CustomerState.of(row, h.config.watchedFields());
        store(h).put(row.key(), new CustomerState(fresh.schemaVersion(), fresh.modifiedAt(), fresh.watched(), fresh.documentStatus(),
                fresh.forbidStatus(), fingerprint));
    }

    private static KeyValueStore<String, CustomerState> store(TransformerHarness h) {
        return h.driver.getKeyValueStore(TransformerTopology.CUSTOMER_STATE_STORE);
    }
}
