package io.kdpipe.transformer.digest;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.kdpipe.transformer.notice.NoticeIds;
import io.kdpipe.transformer.notice.NoticeTemplates;
import io.kdpipe.transformer.notice.RoutedNotice;

/**
 * Folds held notices into as few {@code DIGEST} notices as fit: each lists at most
 * {@code maxItems} notices and stays within the 2048-byte message limit. Items keep their order and
 * are listed under a heading per kind (新客户, 客户资料变更, ...: a new heading where the kind
 * changes), unless the digest-item template shows {@code {{kindLabel}}} itself.
 */
public final class DigestBuilder {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String WIDEST_PART = "9999";
    private static final Pattern KIND_LABEL = Pattern.compile("\\{\\{\\s*kindLabel\\s*}}");

    private final NoticeTemplates templates;
    private final NoticeFormat format;
    private final ZoneId zone;
    private final MessageFitter fitter;
    private final int maxItems;
    private final boolean kindHeadings;

    public DigestBuilder(NoticeTemplates templates, NoticeFormat format, ZoneId zone, MessageFitter fitter, int maxItems) {
        this.templates = templates;
        this.format = format;
        this.zone = zone;
        this.fitter = fitter;
        this.maxItems = maxItems;
        this.kindHeadings = !KIND_LABEL.matcher(templates.digestItem(format).source()).find();
    }

    /** One digest notice and how many notices it lists. */
    public record Digest(Notice notice, int items) {
    }

    public List<Digest> build(List<RoutedNotice> items, long windowStartMs, Instant createdAt) {
        String windowStart = TIME.format(Instant.ofEpochMilli(windowStartMs).atZone(zone));
        String total = String.valueOf(items.size());
        // greedy, in order: each part takes as many of the next items as fit. A part's size only grows with
        // its items, so the longest fitting run is found by bisection, with O(log maxItems) renders per part;
        // digest lines are alike, so the bracket first closes around the size of the part before (two renders)
        List<List<RoutedNotice>> parts = new ArrayList<>();
        int start = 0;
        int previous = 0;
        while (start < items.size()) {
            int fits = start + 1; // a part always takes at least one item
            int tooMany = Math.min(items.size(), start + maxItems) + 1;
            int guess = Math.min(start + previous, tooMany - 1); // the rest, when fewer are left
            if (guess > fits) {
                if (fits(items, start, guess, total, windowStart)) {
                    fits = guess;
                    if (guess + 1 < tooMany) {
                        if (fits(items, start, guess + 1, total, windowStart)) {
                            fits = guess + 1;
                        } else {
                            tooMany = guess + 1;
                        }
                    }
                } else {
                    tooMany = guess;
                }
            }
            while (tooMany - fits > 1) {
                int mid = (fits + tooMany) >>> 1;
                if (fits(items, start, mid, total, windowStart)) {
                    fits = mid;
                } else {
                    tooMany = mid;
                }
            }
            parts.add(List.copyOf(items.subList(start, fits)));
            previous = fits - start;
            start = fits;
        }
        List<Digest> out = new ArrayList<>();
        String count = String.valueOf(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            List<RoutedNotice> part = parts.get(i);
            String n = String.valueOf(i + 1);
            MessageFitter.Fitted msg = fitter.fit(format, title(part, n, count, total), body(part, n, count, total, windowStart));
            out.add(new Digest(notice(part, msg, createdAt), part.size()));
        }
        return out;
    }

    /** Whether {@code items[from, to)} fit one digest, whatever its part numbers. */
    boolean fits(List<RoutedNotice> items, int from, int to, String total, String windowStart) {
        List<RoutedNotice> candidate = items.subList(from, to);
        return fitter.fits(format, title(candidate, WIDEST_PART, WIDEST_PART, total),
                body(candidate, WIDEST_PART, WIDEST_PART, total, windowStart));
    }

    private String title(List<RoutedNotice> part, String n, String parts, String total) {
        return templates.of(Notice.Kind.DIGEST).title().render(values(part, n, parts, total, ""), Map.of(), NoticeFormat.TEXT);
    }

    private String body(List<RoutedNotice> part, String n, String parts, String total, String windowStart) {
        return templates.of(Notice.Kind.DIGEST).body(format)
                .render(values(part, n, parts, total, windowStart), Map.of("items", items(part)), format);
    }

    private String items(List<RoutedNotice> part) {
        int length = 0;
        for (RoutedNotice item : part) {
            String line = item.digestLine();
            length += (line == null ? 0 : line.length()) + 16; // a line, its break, now and then a heading
        }
        StringBuilder sb = new StringBuilder(length);
        Notice.Kind run = null;
        for (RoutedNotice item : part) {
            Notice.Kind kind = item.notice().kind();
            if (kindHeadings && kind != run) {
                if (run != null) {
                    sb.append(format == NoticeFormat.MARKDOWN ? "\n\n" : "\n");
                }
                String label = NoticeTemplates.kindLabel(kind);
                sb.append(format == NoticeFormat.MARKDOWN ? "**" + label + "**\n\n" : label + "：\n");
                run = kind;
            } else if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(item.digestLine());
        }
        return sb.toString();
    }

    private static Map<String, String> values(List<RoutedNotice> part, String n, String parts, String total, String windowStart) {
        return Map.of("count", String.valueOf(part.size()), "part", n, "parts", parts, "total", total,
                "windowStart", windowStart, "kindLabel", "客户变更汇总", "kind", Notice.Kind.DIGEST.name());
    }

    private static Notice notice(List<RoutedNotice> part, MessageFitter.Fitted msg, Instant createdAt) {
        List<String> ids = part.stream().map(r -> r.notice().id()).toList();
        LinkedHashSet<String> customers = new LinkedHashSet<>();
        TreeSet<String> unresolved = new TreeSet<>();
        for (RoutedNotice r : part) {
            customers.addAll(r.notice().customerKeys());
            unresolved.addAll(r.notice().recipients().unresolved());
        }
        Notice first = part.get(0).notice();
        Notice newest = part.stream().map(RoutedNotice::notice)
                .max(Comparator.comparing(n -> n.provenance().sourceModifiedAt())).orElse(first);
        Notice.Recipients recipients = new Notice.Recipients(first.recipients().userIds(), first.recipients().deptIds(),
                List.copyOf(unresolved));
        Notice.Provenance p = newest.provenance();
        return new Notice(Notice.VERSION, NoticeIds.digest(ids), Notice.Kind.DIGEST, List.copyOf(customers), recipients,
                msg.msg(), new Notice.Provenance(p.sourceTopic(), p.partition(), p.offset(), p.sourceModifiedAt(), null),
                createdAt, commonRouting(part));
    }

    /** The items' routing when they all route from the same inputs (so the digest can be re-routed); else null. */
    private static Notice.Routing commonRouting(List<RoutedNotice> part) {
        Notice.Routing first = part.get(0).notice().routing();
        for (RoutedNotice r : part) {
            if (first == null || !first.sameInputs(r.notice().routing())) {
                return null;
            }
        }
        LinkedHashSet<String> notes = new LinkedHashSet<>();
        part.forEach(r -> notes.addAll(r.notice().routing().notes()));
        return first.withNotes(List.copyOf(notes));
    }
}
