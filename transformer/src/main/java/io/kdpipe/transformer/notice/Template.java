package io.kdpipe.transformer.notice;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message template with {@code {{name}}} placeholders. A name is any row field key (e.g.
 * {@code {{FName}}}, {@code {{FSELLER_FNumber}}}) or one of the computed values the notice builder
 * supplies ({@code customerKey}, {@code modifiedAt}, {@code kindLabel}, {@code changes}, ...). A
 * name with no value renders as nothing.
 */
public record Template(String source) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    /**
     * @param escaped  values to insert after escaping for {@code format} (row fields and plain values)
     * @param verbatim values already formatted for the target (lists built of escaped parts); win over escaped
     */
    public String render(Map<String, String> escaped, Map<String, String> verbatim, NoticeFormat format) {
        Matcher m = PLACEHOLDER.matcher(source);
        StringBuilder out = new StringBuilder(source.length() + 64);
        while (m.find()) {
            String name = m.group(1);
            String value = verbatim.containsKey(name) ? verbatim.get(name) : Escaping.escape(escaped.get(name), format);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
