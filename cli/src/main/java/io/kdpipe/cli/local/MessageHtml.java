package io.kdpipe.cli.local;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders a DingTalk {@code msg} object as HTML the way the DingTalk client shows it: text as plain
 * lines, markdown with its headings, bold, lists and paragraphs. Every character from the message
 * is HTML-escaped first, so a value such as {@code <script>} shows as text and never runs; markdown
 * backslash escapes ({@code \*}, {@code \<}) show the character itself.
 */
final class MessageHtml {

    private MessageHtml() {
    }

    /** The title line of a message: the markdown title, or the first line of a text message. */
    static String title(JsonNode msg) {
        String type = msg.path("msgtype").asText("");
        if (type.equals("markdown")) {
            return msg.path("markdown").path("title").asText("");
        }
        if (type.equals("text")) {
            String content = msg.path("text").path("content").asText("");
            int nl = content.indexOf('\n');
            return nl < 0 ? content : content.substring(0, nl);
        }
        return type;
    }

    /** The message body as an HTML fragment. */
    static String body(JsonNode msg) {
        String type = msg.path("msgtype").asText("");
        return switch (type) {
            case "text" -> "<div class=\"text\">" + escape(msg.path("text").path("content").asText("")).replace("\n", "<br>\n") + "</div>";
            case "markdown" -> "<div class=\"markdown\">" + markdown(msg.path("markdown").path("text").asText("")) + "</div>";
            default -> "<pre>" + escape(msg.toPrettyString()) + "</pre>";
        };
    }

    /** The markdown subset DingTalk renders: headings, bold, "- " lists, paragraphs and line breaks. */
    static String markdown(String text) {
        StringBuilder out = new StringBuilder();
        boolean inList = false;
        StringBuilder paragraph = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            boolean item = trimmed.startsWith("- ") || trimmed.startsWith("* ");
            if (inList && !item) {
                out.append("</ul>\n");
                inList = false;
            }
            if (trimmed.isEmpty()) {
                flush(out, paragraph);
                continue;
            }
            int level = headingLevel(trimmed);
            if (level > 0) {
                flush(out, paragraph);
                out.append("<h").append(level).append('>').append(inline(trimmed.substring(level).strip()))
                        .append("</h").append(level).append(">\n");
            } else if (item) {
                flush(out, paragraph);
                if (!inList) {
                    out.append("<ul>\n");
                    inList = true;
                }
                out.append("<li>").append(inline(trimmed.substring(2))).append("</li>\n");
            } else {
                if (paragraph.length() > 0) {
                    paragraph.append("<br>\n");
                }
                paragraph.append(inline(trimmed));
            }
        }
        if (inList) {
            out.append("</ul>\n");
        }
        flush(out, paragraph);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder paragraph) {
        if (paragraph.length() > 0) {
            out.append("<p>").append(paragraph).append("</p>\n");
            paragraph.setLength(0);
        }
    }

    private static int headingLevel(String line) {
        int n = 0;
        while (n < line.length() && n < 6 && line.charAt(n) == '#') {
            n++;
        }
        return n > 0 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }

    /** Bold and backslash escapes; everything else is text. Links stay text, as the notices escape them. */
    static String inline(String s) {
        StringBuilder out = new StringBuilder();
        boolean bold = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && isPunctuation(s.charAt(i + 1))) {
                out.append(escape(String.valueOf(s.charAt(i + 1))));
                i++;
            } else if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                out.append(bold ? "</strong>" : "<strong>");
                bold = !bold;
                i++;
            } else {
                out.append(escape(String.valueOf(c)));
            }
        }
        if (bold) {
            out.append("</strong>");
        }
        return out.toString();
    }

    private static boolean isPunctuation(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
