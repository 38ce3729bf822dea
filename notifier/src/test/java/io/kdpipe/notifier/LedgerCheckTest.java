package io.kdpipe.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import org.junit.jupiter.api.Test;

/** The ledger check {@code NotifierZombieIT} relies on, fed constructed ledgers. */
class LedgerCheckTest {

    private final Notice one = NotifierFixture.notice("n-1", List.of("user-0001"));
    private final Notice two = NotifierFixture.notice("n-2", List.of("user-0002"));

    private static DeliveryRecord sent(Notice n, long taskId, DeliveryRecord.Delivery delivery) {
        Instant now = Instant.parse("2026-12-06T02:00:00Z");
        return new DeliveryRecord(DeliveryRecord.VERSION, n.id(), DeliveryRecord.Status.SENT, List.of(taskId),
                n.recipients().userIds(), 1, 1, now, now, null, null, delivery, null, 0L, null);
    }

    @Test
    void shouldPassOneDeliveryPerNoticeAndItsResultCheckUpdate() {
        List<DeliveryRecord> ledger = List.of(sent(one, 11, DeliveryRecord.Delivery.ACCEPTED), sent(two, 12, DeliveryRecord.Delivery.ACCEPTED),
                sent(one, 11, DeliveryRecord.Delivery.DELIVERED));

        assertThat(LedgerCheck.problems(List.of(one, two), ledger)).isEmpty();
    }

    @Test
    void shouldFlagASecondCommittedDeliveryOfTheSameNotice() {
        // what the ledger would hold if a fenced notifier's transaction had committed after its replacement's
        List<DeliveryRecord> ledger = List.of(sent(one, 11, DeliveryRecord.Delivery.ACCEPTED), sent(two, 12, DeliveryRecord.Delivery.ACCEPTED),
                sent(one, 21, DeliveryRecord.Delivery.ACCEPTED));

        assertThat(LedgerCheck.problems(List.of(one, two), ledger))
                .containsExactly("n-1 to user-0001: 2 deliveries committed, tasks [[11], [21]]");
    }

    @Test
    void shouldFlagANoticeWithoutACommittedDelivery() {
        assertThat(LedgerCheck.problems(List.of(one, two), List.of(sent(one, 11, DeliveryRecord.Delivery.ACCEPTED))))
                .containsExactly("n-2 to user-0002: no delivery committed");
    }
}
