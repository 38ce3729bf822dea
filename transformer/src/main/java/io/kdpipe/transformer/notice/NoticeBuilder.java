package io.kdpipe.transformer.notice;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.routing.Router;
import io.kdpipe.transformer.change.Change;
import io.kdpipe.transformer.change.FieldChange;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.routing.RecipientResolver;
import io.kdpipe.transformer.routing.Resolution;

/**
 * Turns a resolved change into a {@link Notice}: recipients and the routing inputs they came from, the
 * rendered and size-fitted message, the deterministic id and the provenance. The same change always yields the same bytes.
 */
public final class NoticeBuilder {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String EMPTY_VALUE = "（空）";

    private final NoticeTemplates templates;
    private final NoticeFormat format;
    private final ZoneId zone;
    private final RecipientResolver resolver;
    private final MessageFitter fitter;
    private final TransformerMetrics metrics;

    public NoticeBuilder(NoticeTemplates templates, NoticeFormat format, ZoneId zone, RecipientResolver resolver,
            MessageFitter fitter, TransformerMetrics metrics) {
        this.templates = templates;
        this.format = format;
        this.zone = zone;
        this.resolver = resolver;
        this.fitter = fitter;
        this.metrics = metrics;
    }

    public RoutedNotice build(Resolution resolution) {
        Change change = resolution.change();
        CustomerRow row = change.row();
        Router.Routed routed = resolver.resolve(resolution);
        Notice.Recipients recipients = routed.recipients();

        // sized for every field plus the computed values, so it is never rehashed
        Map<String, String> values = new HashMap<>((row.fields().size() + 16) * 4 / 3 + 1);
        for (String field : row.fields().keySet()) {
            values.put(field, row.text(field));
        }
        values.put("customerKey", row.key());
        values.put("account", row.account());
        values.put("customerId", row.customerId());
        values.put("form", row.form());
        values.put("phase", row.phase().name());
        values.put("modifiedAt", format(row.modifiedAt()));
        values.put("kind", change.kind().name());
        values.put("kindLabel", DefaultTemplates.kindLabel(change.kind()));
        Map<String, String> verbatim = new HashMap<>();
        verbatim.put("changes", changes(change.changes()));
        // directory gaps go to the trail and the metrics, never into a recipient's message
        verbatim.put("unresolvedNote", "");

        NoticeTemplates.KindTemplates t = templates.of(change.kind());
        String title = t.title().render(values, Map.of(), NoticeFormat.TEXT);
        String body = t.body(format).render(values, verbatim, format);
        MessageFitter.Fitted fitted = fitter.fit(format, title, body);
        if (fitted.truncated()) {
            metrics.truncated();
        }
        String digestLine = templates.digestItem(format).render(values, Map.of(), format);

        Notice notice = new Notice(Notice.VERSION,
                NoticeIds.single(row.key(), change.kind(), row.modifiedAt()),
                change.kind(),
                List.of(row.key()),
                recipients,
                fitted.msg(),
                new Notice.Provenance(change.topic(), change.partition(), change.offset(), row.modifiedAt(), null),
                Instant.ofEpochMilli(change.timestamp()),
                routed.routing());
        return RoutedNotice.of(notice, digestLine);
    }

    private String format(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    private String changes(List<FieldChange> changes) {
        StringBuilder sb = new StringBuilder();
        for (FieldChange c : changes) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            String before = c.oldValue() == null ? EMPTY_VALUE : Escaping.escape(c.oldValue(), format);
            String after = c.newValue() == null ? EMPTY_VALUE : Escaping.escape(c.newValue(), format);
            sb.append(format == NoticeFormat.MARKDOWN ? "- " : "")
                    .append(Escaping.escape(c.label(), format)).append("：").append(before).append(" → ").append(after);
        }
        return sb.toString();
    }
}
