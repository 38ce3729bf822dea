package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The pipeline's promise, checked per change against the outcome planned for it: delivered exactly
 * once to the intended DingTalk user, or dead-lettered with the planned reason. Anything else fails
 * the run: a change lost, delivered twice, delivered where a dead letter was planned (or the other
 * way round), dead-lettered with another reason, a dead letter without a reason, more duplicate send
 * attempts than the counted events explain, a notice the ledger records as sent twice or as
 * delivered twice to one recipient, or a pipeline that never came to rest.
 *
 * <p>The evidence is gathered from Kafka (read_committed) and the DingTalk sandbox by
 * {@link #gather}; {@link #verdict} judges it without any I/O, so each defect class can be shown
 * with constructed evidence. Inbox messages and send attempts are matched to notices by their exact
 * {@code msg} (DingTalk's send carries no notice id and no idempotency key; a notice's {@code msg}
 * is the object the notifier sends); a notice's customers are in {@link Notice#customerKeys()} (a
 * digest lists several).
 */
final class ConservationCheck {

    /** What must become of a change. */
    sealed interface Expected {
        /** Exactly one notice about the customer in {@code userId}'s inbox. */
        record Delivered(String userId) implements Expected {
        }

        /**
         * A dead letter about the customer with one of these reasons (see {@link #reason}), and no
         * delivery. More than one only where the pipeline may rightly take either path.
         */
        record DeadLettered(List<String> reasons) implements Expected {
            public DeadLettered {
                reasons = List.copyOf(reasons);
            }

            public DeadLettered(String reason) {
                this(List.of(reason));
            }

            String describe() {
                return String.join(" or ", reasons);
            }
        }
    }

    /**
     * One edit the sandbox made.
     *
     * @param customerId  the {@code FCUSTID} edited (each customer is edited at most once per run)
     * @param expected    the outcome the change must have
     * @param injected    whether the new name carries markdown/HTML link injection
     */
    record Change(long customerId, Expected expected, boolean injected, Instant at) {
    }

    /**
     * What the run left behind, gathered after it came to rest.
     *
     * @param received            per customer id and DingTalk user, the inbox messages that are notices about the customer
     * @param deadLetters         per customer id, {@code <stage>: <reason>} of every dead letter about it ({@value #NO_REASON} as the reason when it has none)
     * @param badRecordsDeadLettered malformed records written by the suite and found in a DLT, by topic and reason
     * @param sendsByNotice       per notice id and recipient, the sends DingTalk accepted ({@code errcode 0}), same-content
     *                            repeats it suppressed included: every one after the first is a duplicate send attempt
     * @param bound               the events that can cause a duplicate send attempt, as counted
     * @param ledger              every entry of the delivery ledger (read_committed) that decoded
     * @param stalled             why the pipeline did not come to rest (a group with lag, output still growing); empty when it did
     */
    record Evidence(Map<Long, Map<String, List<JsonNode>>> received, Map<Long, List<String>> deadLetters,
                    Map<String, Integer> badRecordsDeadLettered, Map<String, Map<String, Integer>> sendsByNotice, DuplicateBound bound,
                    List<DeliveryRecord> ledger, List<String> stalled) {
    }

    /**
     * The events that can make the notifier send a notice again after DingTalk already took it, each
     * counted when it happened. A notifier killed or a ledger transaction aborted between DingTalk's
     * answer and the commit, or notice partitions lost before the commit, resend up to one
     * transaction's notices; an answer that timed out after DingTalk delivered resends that one notice.
     *
     * @param killsInSendWindow        notifier kills (and restarts after a death) that may have landed between a send and its commit
     * @param timeoutsAfterDelivery    DingTalk answers held back after delivering (the sandbox's count of that fault firing)
     * @param abortedLedgerTransactions ledger transactions the notifier logged as failed and aborted
     * @param lostPartitions           partition losses the notifier logged ({@code onPartitionsLost})
     * @param noticesPerTransaction    {@code NOTIFIER_COMMIT_BATCH}: notices committed in one ledger transaction
     */
    record DuplicateBound(int killsInSendWindow, int timeoutsAfterDelivery, int abortedLedgerTransactions, int lostPartitions,
                          int noticesPerTransaction) {

        long allowed() {
            return (long) (killsInSendWindow + abortedLedgerTransactions + lostPartitions) * noticesPerTransaction + timeoutsAfterDelivery;
        }

        @Override
        public String toString() {
            return allowed() + " = (" + killsInSendWindow + " notifier kills + " + abortedLedgerTransactions + " aborted ledger transactions + "
                    + lostPartitions + " partition losses) × " + noticesPerTransaction + " notices per transaction + "
                    + timeoutsAfterDelivery + " timeouts after delivery";
        }
    }

    /**
     * The verdict.
     *
     * @param changes            changes made
     * @param delivered          changes delivered exactly once to the intended user, as planned
     * @param deliveredTwice     changes whose intended user holds more than one notice about it
     * @param deadLettered       changes dead-lettered with the planned reason, by reason
     * @param lost               changes neither delivered nor dead-lettered
     * @param lostIds            their customer ids
     * @param wrongOutcomes      changes with another outcome than planned (other reason, other recipient, delivered instead of dead-lettered, …)
     * @param deadLettersWithoutReason dead letters about changed customers that carry no reason
     * @param activeLinks        delivered notices about injected names that carry an active link
     * @param activeLinkSample   the first markdown text with an active link, or null
     * @param injectedDelivered  delivered notices about injected names (the links check's base)
     * @param badRecordsDeadLettered malformed records written by the suite found in a DLT, by topic and reason
     * @param duplicateSendAttempts accepted sends of a notice to a recipient after its first, summed
     * @param duplicatesByNotice {@code <notice id> → <userid>: <n> sends} for each notice and recipient sent more than once
     * @param bound              what explains duplicate send attempts
     * @param ledgerSentTwice    notice ids the ledger records as sent more than once (distinct task ids)
     * @param ledgerDeliveredTwice {@code <notice id> → <userid>} the ledger records as delivered to that recipient by more than one send
     * @param stalled            why the pipeline did not come to rest
     */
    record Result(int changes, int delivered, int deliveredTwice, Map<String, Integer> deadLettered, int lost, List<Long> lostIds,
                  List<String> wrongOutcomes, int deadLettersWithoutReason, int activeLinks, String activeLinkSample, int injectedDelivered,
                  Map<String, Integer> badRecordsDeadLettered, long duplicateSendAttempts, List<String> duplicatesByNotice,
                  DuplicateBound bound, List<String> ledgerSentTwice, List<String> ledgerDeliveredTwice, List<String> stalled) {

        /** Every broken promise, in words; empty when the conservation check passed. */
        List<String> failures() {
            List<String> f = new ArrayList<>();
            if (lost > 0) {
                f.add(lost + " changes lost: customers " + lostIds);
            }
            if (deliveredTwice > 0) {
                f.add(deliveredTwice + " changes delivered twice to a user");
            }
            wrongOutcomes.forEach(w -> f.add("wrong outcome: " + w));
            if (deadLettersWithoutReason > 0) {
                f.add(deadLettersWithoutReason + " dead letters without a reason");
            }
            if (duplicateSendAttempts > bound.allowed()) {
                f.add(duplicateSendAttempts + " duplicate send attempts > " + bound + ": " + duplicatesByNotice);
            }
            if (!ledgerSentTwice.isEmpty()) {
                f.add("the ledger records notices as sent twice: " + ledgerSentTwice);
            }
            if (!ledgerDeliveredTwice.isEmpty()) {
                f.add("the ledger records notices as delivered twice to one recipient: " + ledgerDeliveredTwice);
            }
            stalled.forEach(s -> f.add("stalled: " + s));
            if (activeLinks > 0) {
                f.add(activeLinks + " notices with an active link from an ERP field");
            }
            return f;
        }

        boolean passed() {
            return failures().isEmpty();
        }

        String summary() {
            return "changes " + changes + ", delivered " + delivered + ", twice " + deliveredTwice + ", dead-lettered "
                    + deadLettered + ", lost " + lost + (lostIds.isEmpty() ? "" : " " + lostIds)
                    + (wrongOutcomes.isEmpty() ? "" : ", wrong " + wrongOutcomes);
        }
    }

    /** The reason of a dead letter that carries neither an error class nor a detailed reason. */
    static final String NO_REASON = "NO REASON";
    /** The notifier's detailed reason beside the error class, e.g. {@code BAD_USERID} under {@code PERMANENT}. */
    static final String REASON_DETAIL = DeadLetterHeaders.REASON;

    /** An unescaped markdown link or image {@code [x](...)}, or a raw HTML anchor. */
    static final Pattern ACTIVE_LINK = Pattern.compile("(?<!\\\\)\\[[^\\]]*(?<!\\\\)\\]\\(|(?<!\\\\)<a\\s", Pattern.CASE_INSENSITIVE);

    private ConservationCheck() {
    }

    /** Judges {@code evidence} against the outcome planned for each change. */
    static Result verdict(List<Change> changes, Evidence evidence) {
        int delivered = 0;
        int twice = 0;
        int lost = 0;
        int activeLinks = 0;
        int injectedDelivered = 0;
        int withoutReason = 0;
        List<Long> lostIds = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        String linkSample = null;
        Map<String, Integer> dead = new TreeMap<>();
        for (Change c : changes) {
            Map<String, List<JsonNode>> byUser = evidence.received().getOrDefault(c.customerId(), Map.of());
            List<String> reasons = evidence.deadLetters().getOrDefault(c.customerId(), List.of());
            withoutReason += (int) reasons.stream().filter(ConservationCheck::withoutReason).count();
            String id = "customer " + c.customerId();
            if (c.expected() instanceof Expected.Delivered d) {
                int copies = byUser.getOrDefault(d.userId(), List.of()).size();
                List<String> others = byUser.keySet().stream().filter(u -> !u.equals(d.userId()) && !byUser.get(u).isEmpty()).sorted().toList();
                if (copies == 1) {
                    delivered++;
                } else if (copies > 1) {
                    twice++;
                } else if (!others.isEmpty()) {
                    wrong.add(id + " delivered to " + others + ", expected " + d.userId());
                } else if (!reasons.isEmpty()) {
                    wrong.add(id + " dead-lettered (" + String.join(", ", reasons) + "), expected delivered to " + d.userId());
                } else {
                    lost++;
                    lostIds.add(c.customerId());
                }
            } else if (c.expected() instanceof Expected.DeadLettered d) {
                List<String> users = byUser.keySet().stream().filter(u -> !byUser.get(u).isEmpty()).sorted().toList();
                if (!users.isEmpty()) {
                    wrong.add(id + " delivered to " + users + ", expected dead-lettered with " + d.describe());
                } else if (d.reasons().stream().anyMatch(reasons::contains)) {
                    dead.merge(d.reasons().stream().filter(reasons::contains).findFirst().orElseThrow(), 1, Integer::sum);
                } else if (!reasons.isEmpty()) {
                    wrong.add(id + " dead-lettered with " + reasons + ", expected " + d.describe());
                } else {
                    lost++;
                    lostIds.add(c.customerId());
                }
            }
            if (c.injected()) {
                for (List<JsonNode> msgs : byUser.values()) {
                    for (JsonNode msg : msgs) {
                        injectedDelivered++;
                        if (hasActiveLink(msg)) {
                            activeLinks++;
                            if (linkSample == null) {
                                linkSample = msg.path("markdown").path("text").asText();
                            }
                        }
                    }
                }
            }
        }
        long duplicates = 0;
        List<String> duplicatesByNotice = new ArrayList<>();
        for (var notice : new TreeMap<>(evidence.sendsByNotice()).entrySet()) {
            for (var user : new TreeMap<>(notice.getValue()).entrySet()) {
                if (user.getValue() > 1) {
                    duplicates += user.getValue() - 1;
                    duplicatesByNotice.add(notice.getKey() + " → " + user.getKey() + ": " + user.getValue() + " sends");
                }
            }
        }
        return new Result(changes.size(), delivered, twice, dead, lost, lostIds, wrong, withoutReason, activeLinks, linkSample,
                injectedDelivered, evidence.badRecordsDeadLettered(), duplicates, duplicatesByNotice, evidence.bound(),
                sentTwice(evidence.ledger()), deliveredTwice(evidence.ledger()), evidence.stalled());
    }

    /**
     * Notice ids the ledger records as sent more than once. A notice's later entries (its
     * {@code getsendresult} check, a re-planned check) repeat the send's task ids; a second send has
     * task ids of its own.
     */
    static List<String> sentTwice(List<DeliveryRecord> ledger) {
        Map<String, Set<List<Long>>> sends = new TreeMap<>();
        for (DeliveryRecord r : ledger) {
            if (r.status() == DeliveryRecord.Status.SENT && !r.quotaMarker()) {
                sends.computeIfAbsent(r.noticeId(), x -> new HashSet<>()).add(List.copyOf(r.taskIds()));
            }
        }
        return sends.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /**
     * {@code <notice id> → <userid>} for each recipient the ledger records as reached by more than one
     * send of the notice (distinct task ids). A send whose latest entry has {@code getsendresult}
     * listing the user as invalid, forbidden or failed did not reach them.
     */
    static List<String> deliveredTwice(List<DeliveryRecord> ledger) {
        // notice id → the send's task ids → its latest entry
        Map<String, Map<List<Long>, DeliveryRecord>> latest = new TreeMap<>();
        for (DeliveryRecord r : ledger) {
            if (r.status() == DeliveryRecord.Status.SENT && !r.quotaMarker()) {
                latest.computeIfAbsent(r.noticeId(), x -> new LinkedHashMap<>()).put(List.copyOf(r.taskIds()), r);
            }
        }
        List<String> twice = new ArrayList<>();
        latest.forEach((notice, sends) -> {
            Map<String, Integer> reached = new TreeMap<>();
            for (DeliveryRecord r : sends.values()) {
                for (String user : new LinkedHashSet<>(r.userIds())) {
                    DeliveryRecord.Verification v = r.verification();
                    boolean notReached = v != null && (v.invalidUserIds().contains(user) || v.forbiddenUserIds().contains(user)
                            || v.failedUserIds().contains(user));
                    if (!notReached) {
                        reached.merge(user, 1, Integer::sum);
                    }
                }
            }
            reached.forEach((user, n) -> {
                if (n > 1) {
                    twice.add(notice + " → " + user);
                }
            });
        });
        return twice;
    }

    /** A reason as gathered ({@code <stage>: <reason>}) that says the dead letter carried none. */
    static boolean withoutReason(String reason) {
        return reason.equals(NO_REASON) || reason.endsWith(": " + NO_REASON) || reason.endsWith("→ " + NO_REASON);
    }

    /** Reads the notices, both DLTs, the ledger and the inboxes. */
    static Evidence gather(KafkaIo io, DingTalkSandbox dingTalk, DuplicateBound bound, List<String> stalled) {
        Map<String, List<Long>> customersByNoticeId = new HashMap<>();
        Map<JsonNode, Notice> noticeByMsg = new HashMap<>();
        Map<JsonNode, List<String>> noticeIdsByMsg = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.NOTICES))) {
            if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                Notice n = ok.value();
                noticeByMsg.put(n.msg(), n);
                List<String> ids = noticeIdsByMsg.computeIfAbsent(n.msg(), x -> new ArrayList<>());
                if (!ids.contains(n.id())) {
                    ids.add(n.id());
                }
                customersByNoticeId.put(n.id(), n.customerKeys().stream().map(ConservationCheck::customerId).toList());
            }
        }
        Map<Long, List<String>> deadLetters = new HashMap<>();
        Map<String, Integer> badDead = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.NOTICES_DLT))) {
            if (written(r)) {
                continue;
            }
            String reason = reason(r);
            if (isBad(r)) {
                badDead.merge("notices → " + reason, 1, Integer::sum);
            } else if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                ok.value().customerKeys().forEach(k -> deadLetters.computeIfAbsent(customerId(k), x -> new ArrayList<>()).add("notifier: " + reason));
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.ROWS_DLT))) {
            if (written(r)) {
                continue;
            }
            String reason = reason(r);
            if (isBad(r)) {
                badDead.merge("customers → " + reason, 1, Integer::sum);
            } else if (r.key() != null) {
                deadLetters.computeIfAbsent(customerId(new String(r.key(), StandardCharsets.UTF_8)), x -> new ArrayList<>())
                        .add("transformer: " + reason);
            }
        }
        List<DeliveryRecord> ledger = ledger(io);
        Map<Long, Map<String, List<JsonNode>>> received = new HashMap<>();
        dingTalk.inboxes().forEach((user, messages) -> {
            for (InboxMessage m : messages) {
                Notice n = noticeByMsg.get(m.msg());
                if (n != null) {
                    for (long customer : customersByNoticeId.getOrDefault(n.id(), List.of())) {
                        received.computeIfAbsent(customer, x -> new LinkedHashMap<>()).computeIfAbsent(user, x -> new ArrayList<>()).add(m.msg());
                    }
                }
            }
        });
        return new Evidence(received, deadLetters, badDead, sendsByNotice(dingTalk.attempts(), noticeIdsByMsg), bound, ledger, stalled);
    }

    /** Every entry of the delivery ledger (read_committed) that decodes; malformed ones written under real keys are left out. */
    static List<DeliveryRecord> ledger(KafkaIo io) {
        List<DeliveryRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.DELIVERIES))) {
            if (DeliveryRecord.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DeliveryRecord> ok) {
                out.add(ok.value());
            }
        }
        return out;
    }

    /**
     * Per notice id and recipient, the accepted sends the DingTalk sandbox recorded. An attempt is
     * matched to its notice by its exact {@code msg}; where several notices share one {@code msg},
     * the n-th send of it to a recipient counts for the n-th of them (the last takes any more). A
     * {@code msg} no notice has is counted under {@code "msg of no notice: <title or start>"}.
     */
    static Map<String, Map<String, Integer>> sendsByNotice(List<DingTalkSandbox.SendAttempt> attempts, Map<JsonNode, List<String>> noticeIdsByMsg) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (DingTalkSandbox.SendAttempt a : attempts) {
            List<String> ids = noticeIdsByMsg.get(a.msg());
            String id;
            if (ids == null || ids.isEmpty()) {
                String text = a.msg().path("markdown").path("title").asText(a.msg().toString());
                id = "msg of no notice: " + text.substring(0, Math.min(40, text.length()));
            } else {
                int n = seen.merge(a.msg().toString() + "\u0000" + a.userId(), 1, Integer::sum);
                id = ids.get(Math.min(n, ids.size()) - 1);
            }
            out.computeIfAbsent(id, x -> new TreeMap<>()).merge(a.userId(), 1, Integer::sum);
        }
        return out;
    }

    /**
     * Only a markdown message's {@code text} is rendered as markdown: its {@code title} shows as plain
     * text in the notification list, and a text message renders nothing.
     */
    static boolean hasActiveLink(JsonNode msg) {
        return "markdown".equals(msg.path("msgtype").asText()) && ACTIVE_LINK.matcher(msg.path("markdown").path("text").asText()).find();
    }

    /** A dead letter the pipeline wrote names the topic it came from; a record written straight into a DLT does not. */
    private static boolean written(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC) == null;
    }

    private static boolean isBad(ConsumerRecord<byte[], byte[]> r) {
        return r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(BadInput.KEY_PREFIX);
    }

    /**
     * {@code <error class>/<detail>} from the {@link DeadLetterHeaders#ERROR_CLASS} header and the
     * notifier's detail, e.g. {@code PERMANENT/BAD_USERID}; {@value #NO_REASON} without an error class.
     */
    static String reason(ConsumerRecord<byte[], byte[]> r) {
        String cls = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS);
        String detail = DeadLetterHeaders.text(r.headers(), REASON_DETAIL);
        if (cls == null || cls.isBlank()) {
            return NO_REASON;
        }
        return detail == null || detail.isBlank() ? cls : cls + "/" + detail;
    }

    /** {@code {account}:{FCUSTID}} → {@code FCUSTID}; -1 for a key that is not one. */
    private static long customerId(String key) {
        int colon = key.lastIndexOf(':');
        try {
            return Long.parseLong(colon < 0 ? key : key.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
