package io.kdpipe.common.trail;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/**
 * A customer's (or one notice's) story: the conclusion, and the events in time order.
 *
 * @param query         what was asked, e.g. {@code customer CUST0042}
 * @param customerKeys  the customer keys it covers
 * @param conclusion    the outcome in one line, e.g. "delivered to 张伟 (zhangwei) 2026-11-28 10:02:03, task 123"
 * @param events        oldest first, within the retention asked for
 * @param omitted       older events left out by the limit
 */
@JsonPropertyOrder({"query", "customerKeys", "conclusion", "omitted", "events"})
public record Trail(String query, List<String> customerKeys, String conclusion, List<Entry> events, int omitted) {

    public Trail {
        customerKeys = List.copyOf(customerKeys);
        events = List.copyOf(events);
    }

    /**
     * One line of the story.
     *
     * @param at           when it happened
     * @param type         {@code row}, {@code suppressed}, {@code notice}, {@code resend}, {@code digest},
     *                     {@code delivered}, {@code dead-letter}, {@code redrive}, {@code replay}
     * @param customerKey  the customer it is about
     * @param noticeId     the notice it is about, or null
     * @param text         the line, times in the display zone
     */
    @JsonPropertyOrder({"at", "type", "customerKey", "noticeId", "text"})
    public record Entry(Instant at, String type, String customerKey, String noticeId, String text) {
    }

    /** The story as text: the conclusion first, then one line per event. */
    public String text(ZoneId zone) {
        DateTimeFormatter f = formatter(zone);
        StringBuilder out = new StringBuilder();
        out.append(conclusion).append('\n');
        if (omitted > 0) {
            out.append("  (").append(omitted).append(" older event(s) not shown)\n");
        }
        for (Entry e : events) {
            out.append("  ").append(f.format(e.at())).append("  ").append(e.text()).append('\n');
        }
        return out.toString();
    }

    /** The story as JSON, for dashboards and other tools: the record's fields, in the order of docs/trail.md. */
    public ObjectNode json() {
        return Json.mapper().valueToTree(this);
    }

    static DateTimeFormatter formatter(ZoneId zone) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }
}
