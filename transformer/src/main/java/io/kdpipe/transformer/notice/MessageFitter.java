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

    /** The bytes of the markdown message's object around its two strings (their quotes included). */
    private static final int MARKDOWN_FRAME = size(build(NoticeFormat.MARKDOWN, "", ""));
    /** The bytes of the text message's object around its string (its quotes included). */
    private static final int TEXT_FRAME = size(build(NoticeFormat.TEXT, "", ""));

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
        if (size(format, shortTitle, body) <= maxBytes) {
            return new Fitted(build(format, shortTitle, body), false);
        }
        int lo = 0;
        int hi = body.codePointCount(0, body.length());
        // largest number of code points whose cut message still fits
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (size(format, shortTitle, cut(body, mid, format)) <= maxBytes) {
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
        return size(format, shortTitle, body) <= maxBytes;
    }

    public static int size(JsonNode msg) {
        try {
            return Json.mapper().writeValueAsBytes(msg).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The serialized size of the message {@link #build} makes of these parts, counted without building
     * or writing it: the fixed part of the format's object plus each string's JSON form (quotes, escapes
     * for quote, backslash and control characters, UTF-8 bytes). A string with a surrogate is measured
     * by writing the message, which is what {@link #size(JsonNode)} does for every message.
     */
    static int size(NoticeFormat format, String title, String body) {
        int titleBytes = format == NoticeFormat.MARKDOWN ? jsonStringBytes(title) : 0;
        int bodyBytes = jsonStringBytes(body);
        if (titleBytes < 0 || bodyBytes < 0) {
            return size(build(format, title, body));
        }
        return (format == NoticeFormat.MARKDOWN ? MARKDOWN_FRAME : TEXT_FRAME) + titleBytes + bodyBytes;
    }

    /** The bytes of {@code s} in a JSON string, quotes excluded; -1 when it holds a surrogate. */
    private static int jsonStringBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    n += 2;
                } else if (c < 0x20) {
                    n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
                } else {
                    n++;
                }
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                return -1;
            } else {
                n += 3;
            }
        }
        return n;
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
