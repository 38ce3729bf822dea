package io.kdpipe.transformer.notice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/**
 * Builds the DingTalk {@code msg} object and keeps its serialized UTF-8 form within DingTalk's
 * 2048-byte limit. A body that does not fit is cut at a code-point boundary (never inside a
 * character, never leaving a dangling markdown escape) and ends with a visible marker.
 */
public final class MessageFitter {

    /** DingTalk's limit on the serialized {@code msg} of {@code asyncsend_v2}. */
    public static final int MAX_BYTES = 2048;
    public static final String MARKER = "\n…（内容过长，已截断）";
    private static final int MAX_TITLE_CODE_POINTS = 64;

    private final int maxBytes;

    public MessageFitter() {
        this(MAX_BYTES);
    }

    MessageFitter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The message and whether it had to be cut. */
    public record Fitted(ObjectNode msg, boolean truncated) {
    }

    public Fitted fit(NoticeFormat format, String title, String body) {
        String shortTitle = prefix(title, MAX_TITLE_CODE_POINTS, title.codePointCount(0, title.length()) > MAX_TITLE_CODE_POINTS ? "…" : "");
        ObjectNode whole = build(format, shortTitle, body);
        if (size(whole) <= maxBytes) {
            return new Fitted(whole, false);
        }
        int lo = 0;
        int hi = body.codePointCount(0, body.length());
        // largest number of code points whose cut message still fits
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (size(build(format, shortTitle, cut(body, mid, format))) <= maxBytes) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        ObjectNode cut = build(format, shortTitle, cut(body, lo, format));
        if (size(cut) > maxBytes) {
            throw new IllegalStateException("even an empty body exceeds " + maxBytes + " bytes");
        }
        return new Fitted(cut, true);
    }

    /** Whether a body fits without cutting. */
    public boolean fits(NoticeFormat format, String title, String body) {
        String shortTitle = prefix(title, MAX_TITLE_CODE_POINTS, title.codePointCount(0, title.length()) > MAX_TITLE_CODE_POINTS ? "…" : "");
        return size(build(format, shortTitle, body)) <= maxBytes;
    }

    public static int size(JsonNode msg) {
        try {
            return Json.mapper().writeValueAsBytes(msg).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String body, int codePoints, NoticeFormat format) {
        String kept = prefix(body, codePoints, "");
        if (format == NoticeFormat.MARKDOWN) {
            // an odd run of trailing backslashes would escape the marker's first character
            int backslashes = 0;
            for (int i = kept.length() - 1; i >= 0 && kept.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                kept = kept.substring(0, kept.length() - 1);
            }
        }
        return kept + MARKER;
    }

    private static String prefix(String s, int codePoints, String suffix) {
        int total = s.codePointCount(0, s.length());
        if (codePoints >= total) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, codePoints)) + suffix;
    }

    private static ObjectNode build(NoticeFormat format, String title, String body) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        if (format == NoticeFormat.MARKDOWN) {
            msg.put("msgtype", "markdown");
            msg.putObject("markdown").put("title", title).put("text", body);
        } else {
            msg.put("msgtype", "text");
            msg.putObject("text").put("content", body);
        }
        return msg;
    }
}
