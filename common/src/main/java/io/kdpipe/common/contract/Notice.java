package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A DingTalk work notification to send, on {@code dingtalk.notices.v1}. The transformer builds it;
 * the notifier sends it once and records it in the delivery ledger under {@link #id()}.
 *
 * @param id            deterministic: derived from the customer key, the kind and the row version,
 *                      so rebuilding the same change yields the same id
 * @param kind          what happened to the customer(s)
 * @param customerKeys  {@code {account}:{FCUSTID}} of every customer the notice is about
 * @param recipients    who receives it
 * @param msg           the DingTalk {@code msg} object exactly as it is sent (text or markdown),
 *                      at most 2048 bytes of UTF-8 once serialized
 * @param provenance    where it came from, for tracing, freshness and replays
 * @param createdAt     when the notice was built
 * @param routing       what the recipients were resolved from, so they can be resolved again from
 *                      the current directory ({@code kdpipe redrive --reroute}); null on notices
 *                      built before notices carried it, and on digests whose items differ in it:
 *                      those keep their recipients
 */
public record Notice(
        int schemaVersion,
        String id,
        Kind kind,
        List<String> customerKeys,
        Recipients recipients,
        JsonNode msg,
        Provenance provenance,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Routing routing) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<Notice> CODEC = new Codec<>(Notice.class, VERSION);

    public enum Kind { CREATED, APPROVED, CHANGED, FORBIDDEN, ENABLED, DIGEST }

    public Notice {
        Require.text(id, "id");
        Require.present(kind, "kind");
        customerKeys = Require.list(customerKeys);
        Require.present(recipients, "recipients");
        Require.present(msg, "msg");
        Require.present(provenance, "provenance");
        Require.present(createdAt, "createdAt");
    }

    /** A notice without routing inputs: its recipients are final. */
    public Notice(int schemaVersion, String id, Kind kind, List<String> customerKeys, Recipients recipients, JsonNode msg,
                  Provenance provenance, Instant createdAt) {
        this(schemaVersion, id, kind, customerKeys, recipients, msg, provenance, createdAt, null);
    }

    /** This notice sent to other recipients, routed as {@code newRouting} says. */
    public Notice rerouted(Recipients newRecipients, Routing newRouting) {
        return new Notice(schemaVersion, id, kind, customerKeys, newRecipients, msg, provenance, createdAt, newRouting);
    }

    /**
     * @param userIds     DingTalk userids
     * @param deptIds     DingTalk department ids
     * @param unresolved  Kingdee person or department numbers that had no DingTalk id
     */
    public record Recipients(List<String> userIds, List<String> deptIds, List<String> unresolved) {
        public Recipients {
            userIds = Require.list(userIds);
            deptIds = Require.list(deptIds);
            unresolved = Require.list(unresolved);
        }

        public boolean isEmpty() {
            return userIds.isEmpty() && deptIds.isEmpty();
        }
    }

    /**
     * The inputs recipients are resolved from, and what the resolution found.
     *
     * @param kind                 the kind of change the routing policy is chosen by (for a digest:
     *                             the kind of all its items)
     * @param salesperson          the Kingdee salesperson number ({@code FSELLER.FNumber}), or null
     * @param previousSalesperson  on a change of salesperson: the one before, or null
     * @param department           the Kingdee sales department number ({@code FSALDEPTID.FNumber}), or null
     * @param notes                why the recipients are who they are where the directory did not
     *                             simply answer: gaps, departed or unknown users, fallbacks taken.
     *                             For the trail and operators; never shown to recipients.
     */
    public record Routing(Kind kind, String salesperson, String previousSalesperson, String department, List<String> notes) {
        public Routing {
            Require.present(kind, "routing.kind");
            notes = Require.list(notes);
        }

        /** The same inputs, with other notes. */
        public Routing withNotes(List<String> newNotes) {
            return new Routing(kind, salesperson, previousSalesperson, department, newNotes);
        }

        /** True when both route from the same inputs, whatever their notes. */
        public boolean sameInputs(Routing other) {
            return other != null && kind == other.kind && Objects.equals(salesperson, other.salesperson)
                    && Objects.equals(previousSalesperson, other.previousSalesperson)
                    && Objects.equals(department, other.department);
        }
    }

    /**
     * @param sourceTopic       the row topic the change was read from
     * @param partition         its partition
     * @param offset            its offset
     * @param sourceModifiedAt  the {@code FModifyDate} of the newest row behind the notice
     * @param replayOf          for a resend: the id of the original notice; otherwise null
     */
    public record Provenance(String sourceTopic, int partition, long offset, Instant sourceModifiedAt, String replayOf) {
    }
}
