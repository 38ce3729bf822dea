package io.kdpipe.transformer.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.kdpipe.common.contract.Notice;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The transformer's business metrics, all named {@code kdpipe_transformer_*} in Prometheus.
 * Counters count processing attempts: after a crash under exactly-once, re-processed records are
 * counted again although their output is written once.
 */
public final class TransformerMetrics {

    private static final String PREFIX = "kdpipe.transformer.";

    private final MeterRegistry registry;
    // counters are looked up per record: keep them rather than asking the registry each time
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TransformerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void rowIn() {
        counter("rows.in", "Customer rows read").increment();
    }

    public void change(Notice.Kind kind) {
        counter("changes", "Changes detected, by kind", "kind", kind.name()).increment();
    }

    /** A row that produced no notice, and why (e.g. MODIFY_DATE_ONLY, SNAPSHOT, OUT_OF_ORDER). */
    public void suppressed(String reason) {
        counter("suppressed", "Rows that produced no notice, by reason", "reason", reason).increment();
    }

    public void noticeOut(Notice.Kind kind) {
        counter("notices.out", "Notices written (digests included), by kind", "kind", kind.name()).increment();
    }

    public void digestOut(int items) {
        counter("digests.out", "Digest notices written").increment();
        counter("digest.items", "Notices folded into digests").increment(items);
    }

    /** Digests sent before their window ended: {@code max-pending} (one group) or {@code max-held} (every group). */
    public void digestEarly(String reason) {
        earlyDigests(reason).increment();
    }

    private Counter earlyDigests(String reason) {
        return counter("digests.early", "Held notices sent as digests before their window ended, by the bound reached",
                "reason", reason);
    }

    /**
     * Reports the bytes of held notices this instance keeps, and their bound; the early-digest counters are
     * registered here, at 0, so a dashboard or alert sees them before the first.
     */
    public void digestHeld(LongSupplier held, long max) {
        earlyDigests("max-pending");
        earlyDigests("max-held");
        Gauge.builder(PREFIX + "digest.held.bytes", held::getAsLong)
                .description("Bytes of notices held for digests, every group of this instance together").register(registry);
        Gauge.builder(PREFIX + "digest.held.max.bytes", () -> max)
                .description("KDPIPE_DIGEST_MAX_HELD_KB in bytes: held notices beyond it are sent as digests early").register(registry);
    }

    public void deadLetter(String stage, String reason) {
        counter("dead.letters", "Records written to the rows dead-letter topic, by stage and reason",
                "stage", stage, "reason", reason).increment();
    }

    /** A directory target that reached nobody: {@code reason} missing, no-id, departed or unknown. */
    public void unresolved(String type, String reason) {
        counter("recipients.unresolved", "Salespeople or departments a notice could not go to, by why: not in the directory, "
                        + "no DingTalk id, departed or unknown to DingTalk's contacts",
                "type", type.toLowerCase(Locale.ROOT), "reason", reason).increment();
    }

    public void fallbackUsed() {
        counter("recipients.fallback", "Notices routed by a fallback step because no directory target reached anyone").increment();
    }

    public void truncated() {
        counter("notices.truncated", "Messages cut to fit DingTalk's 2048-byte msg limit").increment();
    }

    private Counter counter(String name, String description, String... tags) {
        String key = tags.length == 0 ? name : name + '|' + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(PREFIX + name).description(description).tags(tags).register(registry));
    }
}
