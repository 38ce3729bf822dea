package io.kdpipe.transformer.notice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.contract.Notice.Kind;

/**
 * The templates of every kind: a markdown title, a markdown body and a text body, plus the line a
 * notice becomes inside a digest. Each comes, in order of precedence, from a config key
 * ({@code KDPIPE_TEMPLATE_CREATED_MARKDOWN}), a file in the templates directory
 * ({@code created.md}, {@code created.title}, {@code created.txt}; {@code digest-item.md},
 * {@code digest-item.txt}), or the Chinese default.
 */
public record NoticeTemplates(Map<Kind, KindTemplates> byKind, Template digestItemMarkdown, Template digestItemText) {

    /** The three templates of one kind. */
    public record KindTemplates(Template title, Template markdown, Template text) {
        public Template body(NoticeFormat format) {
            return format == NoticeFormat.MARKDOWN ? markdown : text;
        }
    }

    public NoticeTemplates {
        byKind = Map.copyOf(byKind);
    }

    public KindTemplates of(Kind kind) {
        return byKind.get(kind);
    }

    public Template digestItem(NoticeFormat format) {
        return format == NoticeFormat.MARKDOWN ? digestItemMarkdown : digestItemText;
    }

    /** The Chinese label of a kind, as {@code {{kindLabel}}} renders it (e.g. 新客户). */
    public static String kindLabel(Kind kind) {
        return DefaultTemplates.kindLabel(kind);
    }

    public static NoticeTemplates defaults() {
        Map<Kind, KindTemplates> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new KindTemplates(new Template(DefaultTemplates.title(kind)),
                    new Template(DefaultTemplates.markdown(kind)), new Template(DefaultTemplates.text(kind))));
        }
        return new NoticeTemplates(byKind, new Template(DefaultTemplates.DIGEST_ITEM_MARKDOWN),
                new Template(DefaultTemplates.DIGEST_ITEM_TEXT));
    }

    /** Reads overrides from config and from {@code dir} (may be null); unreadable files become config problems. */
    public static NoticeTemplates read(ConfigReader r, Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            r.check(false, "KDPIPE_TEMPLATES_DIR", "'" + dir + "' is not a directory");
            dir = null;
        }
        Map<Kind, KindTemplates> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            String k = kind.name().toLowerCase(Locale.ROOT);
            String key = "KDPIPE_TEMPLATE_" + kind.name();
            byKind.put(kind, new KindTemplates(
                    pick(r, key + "_TITLE", dir, k + ".title", DefaultTemplates.title(kind), "markdown title of " + kind + " notices"),
                    pick(r, key + "_MARKDOWN", dir, k + ".md", DefaultTemplates.markdown(kind), "markdown body of " + kind + " notices"),
                    pick(r, key + "_TEXT", dir, k + ".txt", DefaultTemplates.text(kind), "text body of " + kind + " notices")));
        }
        return new NoticeTemplates(byKind,
                pick(r, "KDPIPE_TEMPLATE_DIGEST_ITEM_MARKDOWN", dir, "digest-item.md", DefaultTemplates.DIGEST_ITEM_MARKDOWN,
                        "one notice's line inside a markdown digest"),
                pick(r, "KDPIPE_TEMPLATE_DIGEST_ITEM_TEXT", dir, "digest-item.txt", DefaultTemplates.DIGEST_ITEM_TEXT,
                        "one notice's line inside a text digest"));
    }

    private static Template pick(ConfigReader r, String key, Path dir, String file, String fallback, String meaning) {
        Optional<String> configured = r.optional(key, meaning + " (overrides the templates directory)");
        if (configured.isPresent()) {
            return new Template(configured.get().replace("\\n", "\n"));
        }
        if (dir != null) {
            Path path = dir.resolve(file);
            if (Files.isRegularFile(path)) {
                try {
                    return new Template(stripFinalNewline(Files.readString(path, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    r.check(false, "KDPIPE_TEMPLATES_DIR", "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
        return new Template(fallback);
    }

    private static String stripFinalNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
