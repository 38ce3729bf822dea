package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The pipeline's promise, checked per change: the intended recipient's DingTalk inbox holds exactly
 * one notice about the customer, or a dead-letter topic holds a record about it with a reason.
 * Inbox messages are matched to notices by their exact {@code msg}; a notice's customers are in
 * {@link Notice#customerKeys()} (a digest lists several).
 */
final class ConservationCheck {

    /**
     * One edit the sandbox made.
     *
     * @param customerId  the {@code FCUSTID} edited (each customer is edited at most once per run)
     * @param userId      the salesperson's DingTalk user: the intended recipient
     * @param injected    whether the new name carries markdown/HTML link injection
     */
    record Change(long customerId, String userId, boolean injected, Instant at) {
    }

    /**
     * @param changes            changes made
     * @param expected           notices expected (one per change and intended recipient)
     * @param delivered          changes whose recipient holds exactly one notice about it
     * @param deliveredTwice     changes whose recipient holds more than one
     * @param deadLettered       changes dead-lettered instead, by reason
     * @param lost               changes neither delivered nor dead-lettered
     * @param lostIds            their customer ids (for the report)
     * @param activeLinks        delivered notices about injected names that carry an active link
     * @param activeLinkSample   the first markdown text with an active link, or null
     * @param injectedDelivered  delivered notices about injected names (the links check's base)
     * @param badRecordsDeadLettered malformed records written by the suite found in a DLT, by topic
     */
    record Result(int changes, int expected, int delivered, int deliveredTwice, Map<String, Integer> deadLettered, int lost,
                  List<Long> lostIds, int activeLinks, String activeLinkSample, int injectedDelivered, Map<String, Integer> badRecordsDeadLettered) {

        boolean settled() {
            return lost == 0;
        }

        String summary() {
            return "changes " + changes + ", delivered " + delivered + ", twice " + deliveredTwice + ", dead-lettered "
                    + deadLettered + ", lost " + lost + (lostIds.isEmpty() ? "" : " " + lostIds);
        }
    }

    /** An unescaped markdown link or image {@code [x](...)}, or a raw HTML anchor. */
    static final Pattern ACTIVE_LINK = Pattern.compile("(?<!\\\\)\\[[^\\]]*(?<!\\\\)\\]\\(|(?<!\\\\)<a\\s", Pattern.CASE_INSENSITIVE);

    private final KafkaIo io;
    private final DingTalkSandbox dingTalk;
    private final List<Change> changes;

    ConservationCheck(KafkaIo io, DingTalkSandbox dingTalk, List<Change> changes) {
        this.io = io;
        this.dingTalk = dingTalk;
        this.changes = List.copyOf(changes);
    }

    Result run() {
        Map<String, List<Notice>> noticesByCustomer = new HashMap<>();
        Map<JsonNode, Notice> noticeByMsg = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.NOTICES))) {
            if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                Notice n = ok.value();
                noticeByMsg.put(n.msg(), n);
                n.customerKeys().forEach(k -> noticesByCustomer.computeIfAbsent(customerId(k), x -> new ArrayList<>()).add(n));
            }
        }
        Map<String, String> deadByCustomer = new HashMap<>();
        Map<String, Integer> badDead = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.NOTICES_DLT))) {
            String reason = reason(r);
            if (written(r)) {
                continue;
            }
            if (isBad(r)) {
                badDead.merge("notices → " + reason, 1, Integer::sum);
            } else if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                ok.value().customerKeys().forEach(k -> deadByCustomer.put(customerId(k), "notifier: " + reason));
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : io.readAll(io.name(Topics.ROWS_DLT))) {
            String reason = reason(r);
            if (written(r)) {
                continue;
            }
            if (isBad(r)) {
                badDead.merge("customers → " + reason, 1, Integer::sum);
            } else if (r.key() != null) {
                deadByCustomer.put(customerId(new String(r.key(), StandardCharsets.UTF_8)), "transformer: " + reason);
            }
        }
        Map<String, List<InboxMessage>> inboxes = dingTalk.inboxes();

        int delivered = 0;
        int twice = 0;
        int lost = 0;
        int activeLinks = 0;
        int injectedDelivered = 0;
        List<Long> lostIds = new ArrayList<>();
        String linkSample = null;
        Map<String, Integer> dead = new TreeMap<>();
        for (Change c : changes) {
            String id = String.valueOf(c.customerId());
            List<Notice> about = noticesByCustomer.getOrDefault(id, List.of());
            int copies = 0;
            List<JsonNode> received = new ArrayList<>();
            if (c.userId() != null) {
                for (InboxMessage m : inboxes.getOrDefault(c.userId(), List.of())) {
                    Notice n = noticeByMsg.get(m.msg());
                    if (n != null && about.contains(n)) {
                        copies++;
                        received.add(m.msg());
                    }
                }
            }
            if (copies == 1) {
                delivered++;
            } else if (copies > 1) {
                twice++;
            } else if (deadByCustomer.containsKey(id)) {
                dead.merge(deadByCustomer.get(id), 1, Integer::sum);
            } else {
                lost++;
                lostIds.add(c.customerId());
            }
            if (c.injected() && copies > 0) {
                injectedDelivered++;
                for (JsonNode msg : received) {
                    if (hasActiveLink(msg)) {
                        activeLinks++;
                        if (linkSample == null) {
                            linkSample = msg.path("markdown").path("text").asText();
                        }
                    }
                }
            }
        }
        return new Result(changes.size(), changes.size(), delivered, twice, dead, lost, lostIds, activeLinks, linkSample, injectedDelivered, badDead);
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

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        String reason = DeadLetterHeaders.text(r.headers(), "kdpipe.errors.reason");
        String cls = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS);
        if (reason == null && cls == null) {
            return "NO REASON";
        }
        return cls == null ? reason : reason == null ? cls : cls + "/" + reason;
    }

    /** {@code {account}:{FCUSTID}} → {@code FCUSTID}. */
    private static String customerId(String key) {
        int colon = key.lastIndexOf(':');
        return colon < 0 ? key : key.substring(colon + 1);
    }
}
