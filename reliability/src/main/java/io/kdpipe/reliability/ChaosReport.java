package io.kdpipe.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run did and found, and whether it met the targets: every change had its planned
 * outcome ({@link ConservationCheck}), duplicate send attempts within the counted bound, the pipeline
 * at rest before the verdict, every planned fault fired, no crash loop and no service restarted for a
 * liveness that stayed down, every malformed record dead-lettered or skipped (under real keys too,
 * with the services moving past it), every broken configuration refused with exit code 2, no secret in
 * any log, no active link in a notice.
 *
 * @param unhealthyPeriods  per service, stretches of failing {@code /health/live} after it had been live
 * @param livenessRestarts  per service, restarts because liveness stayed down past the limit
 * @param realKeyRecords    malformed records written under real keys, by topic
 * @param realKeyProblems   real keys whose service did not move past the malformed records
 */
public record ChaosReport(ChaosOptions options, Duration took, FaultLog faults, Map<String, Integer> kills,
                          Map<String, Integer> unexpectedExits, Map<String, Integer> unhealthyPeriods,
                          Map<String, Integer> livenessRestarts, ConservationCheck.Result conservation,
                          Map<String, Integer> realKeyRecords, List<String> realKeyProblems,
                          List<ConfigCheck.Outcome> config, Map<String, Integer> secretLeaks, int tokensIssued, Path runDir) {

    public int expectedBadDeadLetters() {
        return BadInput.values().size() * 2; // the customers and notices topics have dead-letter topics
    }

    /** Every target missed, in words; empty when the run passed. */
    public List<String> failures() {
        List<String> f = new ArrayList<>(conservation.failures());
        faults.neverFired().forEach(n -> f.add("fault " + n));
        unexpectedExits.forEach((s, n) -> {
            if (n > 0) {
                f.add(s + " exited " + n + " times on its own");
            }
        });
        livenessRestarts.forEach((s, n) -> {
            if (n > 0) {
                f.add(s + " restarted " + n + " times because /health/live stayed down over " + options.livenessRestartAfter().toSeconds() + " s");
            }
        });
        int badDead = conservation.badRecordsDeadLettered().values().stream().mapToInt(Integer::intValue).sum();
        if (badDead != expectedBadDeadLetters()) {
            f.add(badDead + " malformed records dead-lettered, expected " + expectedBadDeadLetters());
        }
        conservation.badRecordsDeadLettered().forEach((topicAndReason, n) -> {
            if (ConservationCheck.withoutReason(topicAndReason)) {
                f.add(n + " malformed records dead-lettered without a reason (" + topicAndReason + ")");
            }
        });
        realKeyProblems.forEach(p -> f.add("malformed record under a real key: " + p));
        config.stream().filter(o -> !o.ok()).forEach(o -> f.add("bad configuration of " + o.service() + ": exit " + o.exitCode()
                + (o.missing().isEmpty() ? "" : ", not named: " + o.missing()) + (o.echoedSecret() ? ", secret echoed" : "")));
        if (!secretLeaks.isEmpty()) {
            f.add("secrets in logs: " + secretLeaks.keySet());
        }
        if (conservation.injectedDelivered() == 0 && conservation.changes() > 0) {
            f.add("no notice about an injected name was delivered: the link check saw nothing");
        }
        return f;
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    /** The report as markdown tables. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        ConservationCheck.Result c = conservation;
        b.append("| measure | value |\n|---|---|\n");
        row(b, "run", options.customers() + " customers, " + options.changes() + " changes over " + options.chaosPhase().toSeconds()
                + " s, seed " + options.seed() + ", took " + took.toSeconds() + " s");
        row(b, "changes made", c.changes());
        row(b, "delivered exactly once to the intended user", c.delivered());
        row(b, "dead-lettered with the planned reason", c.deadLettered().isEmpty() ? "0" : c.deadLettered().toString());
        row(b, "delivered twice to a user", c.deliveredTwice());
        row(b, "lost", c.lost() + (c.lostIds().isEmpty() ? "" : " " + c.lostIds()));
        row(b, "other outcome than planned", c.wrongOutcomes().isEmpty() ? "0" : c.wrongOutcomes().size() + ": " + c.wrongOutcomes());
        row(b, "dead letters without a reason", c.deadLettersWithoutReason());
        row(b, "duplicate send attempts (accepted sends of a notice to a recipient after the first, from DingTalk's record)",
                c.duplicateSendAttempts() + " (allowed ≤ " + c.bound() + ")"
                        + (c.duplicatesByNotice().isEmpty() ? "" : ": " + String.join("; ", c.duplicatesByNotice())));
        row(b, "notices the ledger records as sent twice", c.ledgerSentTwice().size());
        row(b, "notice and recipient pairs the ledger records as delivered twice", c.ledgerDeliveredTwice().size());
        row(b, "at rest before the verdict", c.stalled().isEmpty() ? "yes" : "no: " + c.stalled());
        row(b, "kill -9 per service", kills.toString());
        row(b, "exits without a kill (crash loop check)", unexpectedExits.toString());
        row(b, "unhealthy /health/live periods", unhealthyPeriods.toString());
        row(b, "restarts for a liveness down over " + options.livenessRestartAfter().toSeconds() + " s", livenessRestarts.toString());
        row(b, "malformed records dead-lettered (of " + expectedBadDeadLetters() + " into topics with a DLT)", c.badRecordsDeadLettered().toString());
        row(b, "malformed records under real keys (skipped, services moved past them)", realKeyRecords + (realKeyProblems.isEmpty() ? "" : " ✗ " + realKeyProblems));
        StringBuilder cfg = new StringBuilder();
        config.forEach(o -> cfg.append(o.service()).append(" exit ").append(o.exitCode()).append(o.ok() ? " ✓ " : " ✗ "));
        row(b, "broken configuration refused", cfg.toString().trim());
        row(b, "secret values in logs (" + (3 + tokensIssued) + " secrets checked)", secretLeaks.isEmpty() ? "0" : secretLeaks.toString());
        row(b, "active links in notices about injected names", c.activeLinks() + " of " + c.injectedDelivered() + " delivered"
                + (c.activeLinkSample() == null ? "" : ", e.g. `" + c.activeLinkSample().replace("|", "\\|").replace("\n", " ") + "`"));
        row(b, "result", passed() ? "PASSED" : "FAILED: " + String.join("; ", failures()).replace("|", "\\|"));
        b.append("\n| fault | planned | fired |\n|---|---|---|\n");
        new TreeMap<>(faults.planned()).forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" | ")
                .append(faults.fired().getOrDefault(k, 0L)).append(" |\n"));
        return b.toString();
    }

    private static void row(StringBuilder b, String k, Object v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
}
