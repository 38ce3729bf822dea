package io.kdpipe.transformer.notice;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

        Map<String, String> values = new RowValues(row, change);
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

    /**
     * What a template's placeholders read: the computed values, else the row's field as text. Looked up
     * per placeholder, so a row's other fields are never turned into text.
     */
    private final class RowValues extends AbstractMap<String, String> {

        private static final List<String> COMPUTED = List.of("customerKey", "account", "customerId", "form", "phase", "modifiedAt",
                "kind", "kindLabel");

        private final CustomerRow row;
        private final Change change;

        RowValues(CustomerRow row, Change change) {
            this.row = row;
            this.change = change;
        }

        @Override
        public String get(Object name) {
            return switch ((String) name) {
                case "customerKey" -> row.key();
                case "account" -> row.account();
                case "customerId" -> row.customerId();
                case "form" -> row.form();
                case "phase" -> row.phase().name();
                case "modifiedAt" -> format(row.modifiedAt());
                case "kind" -> change.kind().name();
                case "kindLabel" -> DefaultTemplates.kindLabel(change.kind());
                default -> row.text((String) name);
            };
        }

        @Override
        public boolean containsKey(Object name) {
            return COMPUTED.contains(name) || row.fields().containsKey(name);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            Map<String, String> all = new LinkedHashMap<>();
            row.fields().keySet().forEach(field -> all.put(field, get(field)));
            COMPUTED.forEach(name -> all.put(name, get(name)));
            return all.entrySet();
        }
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
