package io.kdpipe.transformer.notice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message template with {@code {{name}}} placeholders. A name is any row field key (e.g.
 * {@code {{FName}}}, {@code {{FSELLER_FNumber}}}) or one of the computed values the notice builder
 * supplies ({@code customerKey}, {@code modifiedAt}, {@code kindLabel}, {@code changes}, ...). A
 * name with no value renders as nothing.
 *
 * <p>The source is split once into literal text and placeholder names; rendering only appends.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    private final String source;
    /** literals[i] comes before names[i]; the last literal ends the text. */
    private final String[] literals;
    private final String[] names;

    public Template(String source) {
        this.source = Objects.requireNonNull(source, "source");
        List<String> literalList = new ArrayList<>();
        List<String> nameList = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(source);
        int end = 0;
        while (m.find()) {
            literalList.add(source.substring(end, m.start()));
            nameList.add(m.group(1));
            end = m.end();
        }
        literalList.add(source.substring(end));
        this.literals = literalList.toArray(String[]::new);
        this.names = nameList.toArray(String[]::new);
    }

    public String source() {
        return source;
    }

    /**
     * @param escaped  values to insert after escaping for {@code format} (row fields and plain values)
     * @param verbatim values already formatted for the target (lists built of escaped parts); win over escaped
     */
    public String render(Map<String, String> escaped, Map<String, String> verbatim, NoticeFormat format) {
        // the values first, so the text is built in one buffer of its final size
        String[] values = new String[names.length];
        int length = source.length();
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            String value = verbatim.containsKey(name) ? verbatim.get(name) : Escaping.escape(escaped.get(name), format);
            values[i] = value;
            if (value != null) {
                length += value.length();
            }
        }
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < names.length; i++) {
            out.append(literals[i]);
            if (values[i] != null) {
                out.append(values[i]);
            }
        }
        return out.append(literals[names.length]).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "Template[source=" + source + "]";
    }
}
