package io.kdpipe.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run did and found, and whether it met the targets: nothing lost, nothing delivered
 * twice, duplicate send attempts within what the notifier kills and after-delivery timeouts explain,
 * no crash loop, every malformed record dead-lettered or skipped, every broken configuration refused
 * with exit code 2, no secret in any log, no active link in a notice.
 */
public record ChaosReport(ChaosOptions options, Duration took, Map<String, Integer> faults, Map<String, Integer> kills,
                          Map<String, Integer> unexpectedExits, ConservationCheck.Result conservation, long duplicateSendAttempts,
                          List<ConfigCheck.Outcome> config, Map<String, Integer> secretLeaks, int tokensIssued, Path runDir) {

    /** Duplicate sends a notifier kill (between send and ledger commit) or a timeout after delivery can cause. */
    public long duplicateAllowance() {
        return kills.getOrDefault("notifier", 0) + faults.getOrDefault("DingTalk " + io.kdpipe.sandbox.dingtalk.Fault.HANG_AFTER_DELIVERY, 0);
    }

    public int expectedBadDeadLetters() {
        return BadInput.values().size() * 2; // the customers and notices topics have dead-letter topics
    }

    /** Every target missed, in words; empty when the run passed. */
    public List<String> failures() {
        List<String> f = new ArrayList<>();
        if (conservation.lost() > 0) {
            f.add(conservation.lost() + " changes lost: customers " + conservation.lostIds());
        }
        if (conservation.deliveredTwice() > 0) {
            f.add(conservation.deliveredTwice() + " changes delivered twice to a user");
        }
        if (conservation.deadLettered().containsKey("NO REASON")) {
            f.add("dead letters without a reason");
        }
        if (duplicateSendAttempts > duplicateAllowance()) {
            f.add(duplicateSendAttempts + " duplicate send attempts > " + duplicateAllowance() + " (notifier kills + timeouts after delivery)");
        }
        unexpectedExits.forEach((s, n) -> {
            if (n > 0) {
                f.add(s + " exited " + n + " times on its own");
            }
        });
        int badDead = conservation.badRecordsDeadLettered().values().stream().mapToInt(Integer::intValue).sum();
        if (badDead != expectedBadDeadLetters()) {
            f.add(badDead + " malformed records dead-lettered, expected " + expectedBadDeadLetters());
        }
        config.stream().filter(o -> !o.ok()).forEach(o -> f.add("bad configuration of " + o.service() + ": exit " + o.exitCode()
                + (o.missing().isEmpty() ? "" : ", not named: " + o.missing()) + (o.echoedSecret() ? ", secret echoed" : "")));
        if (!secretLeaks.isEmpty()) {
            f.add("secrets in logs: " + secretLeaks.keySet());
        }
        if (conservation.activeLinks() > 0) {
            f.add(conservation.activeLinks() + " notices with an active link from an ERP field");
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
        row(b, "notices expected", c.expected());
        row(b, "delivered exactly once", c.delivered());
        row(b, "delivered twice to a user", c.deliveredTwice());
        row(b, "dead-lettered (by reason)", c.deadLettered().isEmpty() ? "0" : c.deadLettered().toString());
        row(b, "lost", c.lost());
        row(b, "duplicate send attempts (hidden by DingTalk's same-content rule)", duplicateSendAttempts + " (allowed ≤ "
                + duplicateAllowance() + ": notifier kills + timeouts after delivery)");
        row(b, "kill -9 per service", kills.toString());
        row(b, "exits without a kill (crash loop check)", unexpectedExits.toString());
        row(b, "malformed records dead-lettered (of " + expectedBadDeadLetters() + " into topics with a DLT)",
                c.badRecordsDeadLettered().toString());
        StringBuilder cfg = new StringBuilder();
        config.forEach(o -> cfg.append(o.service()).append(" exit ").append(o.exitCode()).append(o.ok() ? " ✓ " : " ✗ "));
        row(b, "broken configuration refused", cfg.toString().trim());
        row(b, "secret values in logs (" + (3 + tokensIssued) + " secrets checked)", secretLeaks.isEmpty() ? "0" : secretLeaks.toString());
        row(b, "active links in notices about injected names", c.activeLinks() + " of " + c.injectedDelivered() + " delivered"
                + (c.activeLinkSample() == null ? "" : ", e.g. `" + c.activeLinkSample().replace("|", "\\|").replace("\n", " ") + "`"));
        row(b, "result", passed() ? "PASSED" : "FAILED: " + String.join("; ", failures()));
        b.append("\n| fault injected | times |\n|---|---|\n");
        faults.forEach((k, v) -> row(b, k, v));
        return b.toString();
    }

    private static void row(StringBuilder b, String k, Object v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
}
