package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The short chaos run: the three services as processes on a broker process, each service killed
 * with {@code kill -9} once, one broker restart, every DingTalk and Kingdee fault, malformed records
 * in every topic, broken configurations; then every change must be delivered exactly once or
 * dead-lettered with a reason, and no secret may show up in any log.
 */
class ChaosIT {

    @Test
    void everyChangeIsDeliveredOnceOrDeadLetteredUnderFaults() throws Exception {
        Path root = Path.of(System.getProperty("kdpipe.root")).toAbsolutePath().normalize();
        Path runs = Path.of(System.getProperty("kdpipe.chaos.runs"));
        String classpath = Files.readString(Path.of(System.getProperty("kdpipe.chaos.classpath"))).trim()
                + java.io.File.pathSeparator + root.resolve("reliability/target/classes");
        Path runDir = runs.resolve(TestRunDir.name());

        ChaosReport report = ChaosRun.run(ChaosOptions.shortRun(root, classpath, runDir), line -> System.out.println("[chaos] " + line));
        String md = report.toMarkdown();
        Files.writeString(runDir.resolve("report.md"), md);
        System.out.println(md);

        assertThat(report.kills()).allSatisfy((service, kills) -> assertThat(kills).as(service + " kills").isGreaterThanOrEqualTo(1));
        assertThat(report.faults()).containsKeys("broker restart", "DingTalk BAN_HTML", "DingTalk token expired",
                "Kingdee MsgCode 14", "Kingdee hung response", "Kingdee session lost mid-pagination");
        assertThat(report.conservation().changes()).isEqualTo(report.options().changes());
        assertThat(report.conservation().lost()).as("lost changes " + report.conservation().lostIds()).isZero();
        assertThat(report.conservation().deliveredTwice()).isZero();
        assertThat(report.conservation().delivered()).as("changes delivered").isPositive();
        assertThat(report.conservation().deadLettered()).as("changes to a userid DingTalk does not know are dead-lettered with the reason")
                .containsKey("notifier: PERMANENT/INVALID_USER");
        assertThat(report.failures()).as(md).isEmpty();
    }
}
