package io.kdpipe.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/**
 * A chaos run's report as files: {@code <name>.md} for people and {@code <name>.json} for tools,
 * each with the commit the run was built from, the command and the inputs. {@code ChaosMain long}
 * writes {@code reliability/results/long-run.md} and {@code long-run.json}, the files
 * {@code docs/reliability.md} quotes.
 */
final class ResultFiles {

    private ResultFiles() {
    }

    /** Writes {@code <dir>/<name>.md} and {@code <dir>/<name>.json}; returns both paths. */
    static List<Path> write(ChaosReport report, Path dir, String name, String commit, String command, Instant ranAt) {
        ChaosOptions o = report.options();
        String inputs = "| input | value |\n|---|---|\n"
                + "| customers | " + o.customers() + " |\n"
                + "| changes | " + o.changes() + " |\n"
                + "| chaos phase | " + o.chaosPhase().toSeconds() + " s |\n"
                + "| kill -9 per service | " + o.killsPerService() + " |\n"
                + "| settle limit | " + o.settle().toSeconds() + " s |\n"
                + "| at rest after | " + o.quiet().toSeconds() + " s without output, every group caught up |\n"
                + "| liveness restart after | " + o.livenessRestartAfter().toSeconds() + " s |\n"
                + "| seed | " + o.seed() + " |\n";
        String md = "# Chaos run: " + name + "\n\n"
                + "Written by `ChaosMain` (`reliability/src/main/java/io/kdpipe/reliability/ChaosMain.java`); do not edit by hand.\n\n"
                + "- commit: `" + commit + "`\n"
                + "- ran at: " + ranAt.truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "- command: `" + command + "`\n"
                + "- result: **" + (report.passed() ? "PASSED" : "FAILED") + "**\n\n"
                + "## Inputs\n\n" + inputs + "\n## Report\n\n" + report.toMarkdown();

        ObjectMapper mapper = Json.mapper();
        ObjectNode json = mapper.createObjectNode();
        json.put("name", name);
        json.put("commit", commit);
        json.put("ranAt", ranAt.truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("command", command);
        json.put("passed", report.passed());
        json.set("failures", mapper.valueToTree(report.failures()));
        ObjectNode in = json.putObject("inputs");
        in.put("customers", o.customers());
        in.put("changes", o.changes());
        in.put("chaosPhaseSeconds", o.chaosPhase().toSeconds());
        in.put("killsPerService", o.killsPerService());
        in.put("settleSeconds", o.settle().toSeconds());
        in.put("quietSeconds", o.quiet().toSeconds());
        in.put("livenessRestartAfterSeconds", o.livenessRestartAfter().toSeconds());
        in.put("seed", o.seed());
        json.put("tookSeconds", report.took().toSeconds());
        ConservationCheck.Result c = report.conservation();
        ObjectNode cons = json.putObject("conservation");
        cons.put("changes", c.changes());
        cons.put("delivered", c.delivered());
        cons.set("deadLettered", mapper.valueToTree(c.deadLettered()));
        cons.put("deliveredTwice", c.deliveredTwice());
        cons.put("lost", c.lost());
        cons.set("wrongOutcomes", mapper.valueToTree(c.wrongOutcomes()));
        cons.put("deadLettersWithoutReason", c.deadLettersWithoutReason());
        cons.put("duplicateSendAttempts", c.duplicateSendAttempts());
        cons.set("duplicatesByNotice", mapper.valueToTree(c.duplicatesByNotice()));
        ObjectNode bound = cons.putObject("duplicateBound");
        bound.put("allowed", c.bound().allowed());
        bound.put("killsInSendWindow", c.bound().killsInSendWindow());
        bound.put("timeoutsAfterDelivery", c.bound().timeoutsAfterDelivery());
        bound.put("abortedLedgerTransactions", c.bound().abortedLedgerTransactions());
        bound.put("lostPartitions", c.bound().lostPartitions());
        bound.put("noticesPerTransaction", c.bound().noticesPerTransaction());
        cons.put("ledgerSentTwice", c.ledgerSentTwice().size());
        cons.put("ledgerDeliveredTwice", c.ledgerDeliveredTwice().size());
        cons.set("stalled", mapper.valueToTree(c.stalled()));
        cons.put("activeLinks", c.activeLinks());
        cons.put("injectedDelivered", c.injectedDelivered());
        cons.set("badRecordsDeadLettered", mapper.valueToTree(c.badRecordsDeadLettered()));
        ObjectNode faults = json.putObject("faults");
        faults.set("planned", mapper.valueToTree(new TreeMap<>(report.faults().planned())));
        faults.set("fired", mapper.valueToTree(new TreeMap<>(report.faults().fired())));
        json.set("kills", mapper.valueToTree(report.kills()));
        json.set("unexpectedExits", mapper.valueToTree(report.unexpectedExits()));
        json.set("unhealthyPeriods", mapper.valueToTree(report.unhealthyPeriods()));
        json.set("livenessRestarts", mapper.valueToTree(report.livenessRestarts()));
        json.set("realKeyRecords", mapper.valueToTree(report.realKeyRecords()));
        json.set("realKeyProblems", mapper.valueToTree(report.realKeyProblems()));
        json.set("config", mapper.valueToTree(report.config()));
        json.put("secretLeaks", report.secretLeaks().size());
        try {
            Files.createDirectories(dir);
            Path mdFile = dir.resolve(name + ".md");
            Path jsonFile = dir.resolve(name + ".json");
            Files.writeString(mdFile, md, StandardCharsets.UTF_8);
            Files.writeString(jsonFile, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
            return List.of(mdFile, jsonFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The commit the code was built from: the {@code kdpipe.commit} system property, else
     * {@code git rev-parse HEAD} in {@code root} (with {@code -dirty} when tracked files differ from it).
     */
    static String commit(Path root) {
        String given = System.getProperty("kdpipe.commit");
        if (given != null && !given.isBlank()) {
            return given;
        }
        String head = git(root, "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown (no git in " + root + ")";
        }
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status == null || status.isBlank() ? "" : "-dirty");
    }

    private static String git(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
