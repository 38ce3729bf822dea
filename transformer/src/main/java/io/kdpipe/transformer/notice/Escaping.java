package io.kdpipe.transformer.notice;

/**
 * Makes a field value safe to place inside a message. In markdown every character that could start
 * a link, image, emphasis, heading, quote, table, code or HTML tag is backslash-escaped, as is a
 * leading list marker, and line breaks become spaces, so a customer named {@code [点我](http://x)} shows as that text.
 */
public final class Escaping {

    private static final String MARKDOWN_SPECIALS = "\\`*_[]()<>#!|~";
    private static final boolean[] SPECIAL = new boolean[128];

    static {
        for (char c : MARKDOWN_SPECIALS.toCharArray()) {
            SPECIAL[c] = true;
        }
    }

    private Escaping() {
    }

    public static String escape(String value, NoticeFormat format) {
        if (value == null) {
            return "";
        }
        // most values (names, addresses, numbers) need nothing: they are returned as they are
        return needsNothing(value, format) ? value : escapeEach(value, format);
    }

    /** Whether {@link #escapeEach} would return {@code value} unchanged. */
    private static boolean needsNothing(String value, NoticeFormat format) {
        boolean markdown = format != NoticeFormat.TEXT;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || (markdown && c < 128 && SPECIAL[c])) {
                return false;
            }
        }
        if (!markdown || value.isEmpty()) {
            return true;
        }
        if (value.charAt(0) == '-' || value.charAt(0) == '+') {
            return false;
        }
        int digits = 0;
        while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
            digits++;
        }
        return !(digits > 0 && digits < value.length() && value.charAt(digits) == '.');
    }

    /** The escaping itself, character by character. */
    static String escapeEach(String value, NoticeFormat format) {
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
