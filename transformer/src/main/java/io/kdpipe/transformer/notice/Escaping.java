package io.kdpipe.transformer.notice;

/**
 * Makes a field value safe to place inside a message. In markdown every character that could start
 * a link, image, emphasis, heading, quote, table, code or HTML tag is backslash-escaped, as is a
 * leading list marker, and line breaks become spaces, so a customer named {@code [点我](http://x)} shows as that text.
 */
public final class Escaping {

    private static final String MARKDOWN_SPECIALS = "\\`*_[]()<>#!|~";

    private Escaping() {
    }

    public static String escape(String value, NoticeFormat format) {
        if (value == null) {
            return "";
        }
        String oneLine = value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
        if (format == NoticeFormat.TEXT) {
            return oneLine;
        }
        StringBuilder sb = new StringBuilder(oneLine.length() + 8);
        // a value placed at the start of a line must not open a list
        if (oneLine.startsWith("-") || oneLine.startsWith("+")) {
            sb.append('\\');
        }
        for (int i = 0; i < oneLine.length(); i++) {
            char c = oneLine.charAt(i);
            if (MARKDOWN_SPECIALS.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        // a value starting "12." would open an ordered list: escape its dot
        int digits = 0;
        while (digits < sb.length() && sb.charAt(digits) >= '0' && sb.charAt(digits) <= '9') {
            digits++;
        }
        if (digits > 0 && digits < sb.length() && sb.charAt(digits) == '.') {
            sb.insert(digits, '\\');
        }
        return sb.toString();
    }
}
