package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.DeliveryRecord;
import org.junit.jupiter.api.Test;

/** The run-level targets beside conservation: each one missed turns the report to FAILED. */
class ChaosReportTest {

    private static final FaultLog NONE = new FaultLog(Map.of(), Map.of());

    @Test
    void aCleanReportPasses() {
        assertThat(ConstructedReports.clean(NONE).failures()).isEmpty();
    }

    @Test
    void aMalformedRecordDeadLetteredWithoutAReasonFailsTheRun() {
        ChaosReport report = ConstructedReports.clean(NONE, Map.of("customers → MALFORMED", 5, "notices → " + ConservationCheck.NO_REASON, 5));

        assertThat(report.failures()).containsExactly("5 malformed records dead-lettered without a reason (notices → NO REASON)");
    }

    @Test
    void aMalformedRecordNotDeadLetteredFailsTheRun() {
        ChaosReport report = ConstructedReports.clean(NONE, Map.of("customers → MALFORMED", 5, "notices → UNDECODABLE/MALFORMED", 4));

        assertThat(report.failures()).containsExactly("9 malformed records dead-lettered, expected 10");
    }

    @Test
    void aRestartForLivenessACrashAndAMalformedCheckpointLeftBehindFailTheRun() {
        ChaosReport clean = ConstructedReports.clean(NONE);
        ChaosReport report = new ChaosReport(clean.options(), clean.took(), NONE, clean.kills(), Map.of("notifier", 1),
                clean.unhealthyPeriods(), Map.of("notifier", 2), clean.conservation(), clean.realKeyRecords(),
                List.of("the latest checkpoint of job a.BD_Customer.all is still a malformed one"), List.of(), Map.of(), 1, clean.runDir());

        assertThat(report.failures()).containsExactly(
                "notifier exited 1 times on its own",
                "notifier restarted 2 times because /health/live stayed down over 30 s",
                "malformed record under a real key: the latest checkpoint of job a.BD_Customer.all is still a malformed one");
    }

    @Test
    void aPlannedFaultThatNeverFiredFailsTheRun() {
        FaultLog faults = new FaultLog(Map.of(ChaosFault.NOTIFIER_KILL_AT_ANSWER.label(), 1, ChaosFault.BROKER_KILL.label(), 1),
                Map.of(ChaosFault.BROKER_KILL.label(), 1L, ChaosFault.NOTIFIER_KILL_AT_ANSWER.label(), 0L));

        assertThat(ConstructedReports.clean(faults).failures())
                .containsExactly("fault " + ChaosFault.NOTIFIER_KILL_AT_ANSWER.label() + " (planned 1×, never fired)");
    }

    @Test
    void aKillAtDingTalksAnswerCountsOnlyWhenItsSendNeverReachedTheLedger() {
        DeliveryRecord committed = new DeliveryRecord(
                DeliveryRecord.VERSION, "n-1", DeliveryRecord.Status.SENT,
                List.of(7L), List.of("user-a"), 1, 1, Instant.EPOCH, Instant.EPOCH, null, null);

        assertThat(ChaosRun.killsInsideTheWindow(List.of(7L), List.of(committed))).as("the notifier committed it first").isZero();
        assertThat(ChaosRun.killsInsideTheWindow(List.of(7L, 8L), List.of(committed))).isEqualTo(1);
        assertThat(ChaosRun.killsInsideTheWindow(List.of(), List.of(committed))).isZero();
    }
}
