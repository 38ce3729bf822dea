package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/**
 * Marks a resent message visibly: {@code （重发）} and the original time before the content, plus the
 * resend time, so a resend is never the same content as the original (or an earlier resend) and
 * DingTalk's same-content-once-a-day rule does not swallow it. The message stays within DingTalk's
 * 2048 bytes: the original text is shortened if it must be.
 */
final class ResendMarker {

    static final String MARK = "（重发）";
    static final int MAX_MSG_BYTES = 2048;
    private static final String CUT = "…";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ResendMarker() {
    }

    static JsonNode mark(JsonNode msg, Instant originalAt, Instant resentAt, ZoneId zone) {
        String note = MARK + "原通知时间 " + FULL.format(originalAt.atZone(zone)) + "，重发于 " + FULL.format(resentAt.atZone(zone));
        ObjectNode out = msg.deepCopy();
        String type = msg.path("msgtype").asText("");
        switch (type) {
            case "markdown" -> {
                ObjectNode md = (ObjectNode) out.get("markdown");
                md.put("title", MARK + md.path("title").asText(""));
                fit(out, md, "text", "**" + note + "**\n\n", md.path("text").asText(""));
            }
            case "text" -> {
                ObjectNode text = (ObjectNode) out.get("text");
                fit(out, text, "content", note + "\n", text.path("content").asText(""));
            }
            default -> throw new OperateException(ExitCodes.FAILED, "cannot mark a '" + type + "' message as a resend");
        }
        return out;
    }

    /** Sets {@code field} to head + body, cutting the body at a code point until the message fits. */
    private static void fit(ObjectNode msg, ObjectNode holder, String field, String head, String body) {
        holder.put(field, head + body);
        int keep = body.codePointCount(0, body.length());
        while (bytes(msg) > MAX_MSG_BYTES && keep > 0) {
            int over = bytes(msg) - MAX_MSG_BYTES;
            keep = Math.max(0, keep - Math.max(1, over / 3));
            holder.put(field, head + body.substring(0, body.offsetByCodePoints(0, keep)) + CUT);
        }
    }

    private static int bytes(JsonNode msg) {
        try {
            return MAPPER.writeValueAsString(msg).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
