package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.topic.Topics;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run: the three services as processes on a broker process, each service killed
 * with {@code kill -9} once and the notifier once more, before the phase, right after DingTalk answered a
 * send (before its ledger commit), the broker restarted cleanly once and killed once, every DingTalk and
 * Kingdee fault, malformed records in every topic and under real checkpoint, ledger and directory
 * keys, broken configurations. After the pipeline came to rest, every change must have its planned
 * outcome, every planned fault must have fired, and no secret may show up in any log. The report is
 * written as {@code short-run.md}/{@code .json} the way {@code ChaosMain long} writes its own.
 */
class ChaosIT {

    @Test
    void everyChangeHasItsPlannedOutcomeUnderFaults() throws Exception {
        Path root = Path.of(System.getProperty("kdpipe.root")).toAbsolutePath().normalize();
        Path runs = Path.of(System.getProperty("kdpipe.chaos.runs"));
        String classpath = Files.readString(Path.of(System.getProperty("kdpipe.chaos.classpath"))).trim()
                + File.pathSeparator + root.resolve("reliability/target/classes");
        Path runDir = runs.resolve(TestRunDir.name());
        Instant ranAt = Instant.now();

        ChaosReport report = ChaosRun.run(ChaosOptions.shortRun(root, classpath, runDir), line -> System.out.println("[chaos] " + line));
        String md = report.toMarkdown();
        System.out.println(md);
        String commit = ResultFiles.commit(root);
        List<Path> files = ResultFiles.write(report, runDir.resolve("results"), "short-run", commit, ChaosMain.COMMAND + "short", ranAt);

        assertThat(report.kills()).allSatisfy((service, kills) -> assertThat(kills).as(service + " kills").isGreaterThanOrEqualTo(1));
        assertThat(report.faults().planned()).containsKeys(ChaosFault.BROKER_KILL.label(), ChaosFault.BROKER_RESTART.label(),
                ChaosFault.NOTIFIER_KILL_AT_ANSWER.label(),
                "DingTalk BAN_HTML",
                FaultLog.TOKEN_EXPIRED, "Kingdee MsgCode 14", ChaosFault.KINGDEE_HANG.label(), ChaosFault.SESSION_LOST_MID_PAGINATION.label(),
                ChaosRun.malformedUnderRealKeys(Topics.CHECKPOINTS), ChaosRun.malformedUnderRealKeys(Topics.DELIVERIES),
                ChaosRun.malformedUnderRealKeys(Topics.DIRECTORY));
        assertThat(report.faults().neverFired()).as("planned faults that never fired").isEmpty();
        assertThat(report.realKeyRecords()).allSatisfy((topic, n) -> assertThat(n).as(topic).isPositive());
        assertThat(report.realKeyProblems()).isEmpty();

        ConservationCheck.Result c = report.conservation();
        assertThat(c.stalled()).as("the pipeline came to rest before the verdict").isEmpty();
        assertThat(c.changes()).isEqualTo(report.options().changes());
        assertThat(c.wrongOutcomes()).isEmpty();
        assertThat(c.lost()).as("lost changes " + c.lostIds()).isZero();
        assertThat(c.deliveredTwice()).isZero();
        assertThat(c.ledgerSentTwice()).isEmpty();
        assertThat(c.ledgerDeliveredTwice()).isEmpty();
        long killsInWindow = report.faults().fired().getOrDefault(ChaosFault.NOTIFIER_KILL_AT_ANSWER.label(), 0L);
        assertThat(c.duplicateSendAttempts())
                .as("a kill between DingTalk's answer and the ledger commit makes the restarted notifier send that notice again, "
                        + "and DingTalk's record shows the repeat")
                .isGreaterThanOrEqualTo(killsInWindow)
                .isLessThanOrEqualTo(c.bound().allowed());
        assertThat(c.deadLettered()).as("changes to a userid DingTalk refuses are dead-lettered with that reason, or, once "
                        + "the directory records the id as unknown, as routed to nobody")
                .isNotEmpty()
                .allSatisfy((reason, n) -> assertThat(reason).isIn(ChaosRun.UNKNOWN_USER_REASONS));
        assertThat(c.delivered() + c.deadLettered().values().stream().mapToInt(Integer::intValue).sum())
                .as("each change had its planned outcome").isEqualTo(c.changes());
        assertThat(report.failures()).as(md).isEmpty();

        assertThat(Files.readString(files.get(0))).contains("commit: `" + commit + "`", "| customers | 120 |", "result: **PASSED**");
        JsonNode json = Json.mapper().readTree(files.get(1).toFile());
        assertThat(json.path("commit").asText()).isEqualTo(commit);
        assertThat(json.path("inputs").path("changes").asInt()).isEqualTo(30);
        assertThat(json.path("passed").asBoolean()).isTrue();
    }
}
