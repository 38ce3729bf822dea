package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * attempts than the counted events explain, a notice the ledger records as sent twice, or a pipeline
 * that never came to rest.
 *
 * <p>The evidence is gathered from Kafka (read_committed) and the DingTalk sandbox by
 * {@link #gather}; {@link #verdict} judges it without any I/O, so each defect class can be shown
 * with constructed evidence. Inbox messages are matched to notices by their exact {@code msg}; a
 * notice's customers are in {@link Notice#customerKeys()} (a digest lists several).
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
     * @param duplicateSendAttempts  copies DingTalk refused as same-content repeats (sent again after a delivery)
     * @param bound               the events that can cause a duplicate send attempt, as counted
     * @param ledgerSentTwice     notice ids the ledger records as sent more than once
     * @param stalled             why the pipeline did not come to rest (a group with lag, output still growing); empty when it did
     */
    record Evidence(Map<Long, Map<String, List<JsonNode>>> received, Map<Long, List<String>> deadLetters,
                    Map<String, Integer> badRecordsDeadLettered, long duplicateSendAttempts, DuplicateBound bound,
                    List<String> ledgerSentTwice, List<String> stalled) {
    }

    /**
     * The events that can make the notifier send a notice again after DingTalk already took it, each
     * counted when it happened. A notifier killed or a ledger transaction aborted between DingTalk's
     * answer and the commit, or partitions lost before the commit, resend up to one transaction's
     * notices; an answer that timed out after DingTalk delivered resends that one notice.
     *
     * @param killsInSendWindow        notifier kills that may have landed between a send and its commit
     * @param timeoutsAfterDelivery    DingTalk answers held back after delivering (the sandbox's count of that fault firing)
     * @param abortedLedgerTransactions ledger transactions that may have aborted after a send (each broker stop can abort the open one)
     * @param lostPartitions           partition losses of the notifier ({@code onPartitionsLost})
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
                    + lostPartitions + " lost partitions) × " + noticesPerTransaction + " notices per transaction + "
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
     * @param duplicateSendAttempts copies DingTalk refused as same-content repeats
     * @param bound              what explains duplicate send attempts
     * @param ledgerSentTwice    notice ids the ledger records as sent more than once
     * @param stalled            why the pipeline did not come to rest
     */
    record Result(int changes, int delivered, int deliveredTwice, Map<String, Integer> deadLettered, int lost, List<Long> lostIds,
                  List<String> wrongOutcomes, int deadLettersWithoutReason, int activeLinks, String activeLinkSample, int injectedDelivered,
                  Map<String, Integer> badRecordsDeadLettered, long duplicateSendAttempts, DuplicateBound bound,
                  List<String> ledgerSentTwice, List<String> stalled) {

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
                f.add(duplicateSendAttempts + " duplicate send attempts > " + bound);
            }
            if (!ledgerSentTwice.isEmpty()) {
                f.add("the ledger records notices as sent twice: " + ledgerSentTwice);
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
        return new Result(changes.size(), delivered, twice, dead, lost, lostIds, wrong, withoutReason, activeLinks, linkSample,
                injectedDelivered, evidence.badRecordsDeadLettered(), evidence.duplicateSendAttempts(), evidence.bound(),
                evidence.ledgerSentTwice(), evidence.stalled());
    }

    /** A reason as gathered ({@code <stage>: <reason>}) that says the dead letter carried none. */
    static boolean withoutReason(String reason) {
        return reason.equals(NO_REASON) || reason.endsWith(": " + NO_REASON) || reason.endsWith("→ " + NO_REASON);
    }

    /** Reads the notices, both DLTs, the ledger and the inboxes. */
    static Evidence gather(KafkaIo io, DingTalkSandbox dingTalk, DuplicateBound bound, List<String> stalled) {
        Map<String, List<Long>> customersByNoticeId = new HashMap<>();
        Map<JsonNode, Notice> noticeByMsg = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.NOTICES))) {
            if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                Notice n = ok.value();
                noticeByMsg.put(n.msg(), n);
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
        // a notice's later ledger entries (its getsendresult check, a re-planned check) repeat the send's task
        // ids; a second send has task ids of its own
        Map<String, Set<List<Long>>> sends = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.DELIVERIES))) {
            if (DeliveryRecord.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DeliveryRecord> ok
                    && ok.value().status() == DeliveryRecord.Status.SENT) {
                sends.computeIfAbsent(ok.value().noticeId(), x -> new HashSet<>()).add(List.copyOf(ok.value().taskIds()));
            }
        }
        List<String> sentTwice = sends.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();

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
        return new Evidence(received, deadLetters, badDead, dingTalk.stats().duplicates(), bound, sentTwice, stalled);
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
