package io.kdpipe.extractor.job;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.kdpipe.common.lang.Arguments;
import io.kdpipe.extractor.rows.ValueNormalizer;

/**
 * One extraction job: one Kingdee account × form × filter, e.g. the customers of one
 * use-organisation. Its id keys its checkpoint and names its transactional id, so it must stay the
 * same across restarts and be the same on every replica.
 *
 * @param id             stable job id, e.g. {@code 5867f8d847e804.BD_Customer.org-101}
 * @param account        the Kingdee data-centre id the rows come from
 * @param formId         the form queried, normally {@code BD_Customer}
 * @param fieldKeys      the queried field keys; must include {@code FCUSTID} and {@code FModifyDate}
 * @param entryFieldKeys those of {@code fieldKeys} that belong to an entry table (one row per line)
 * @param filter         the job's own {@code FilterString} (blank for none), ANDed with paging conditions
 * @param pageSize       rows per {@code ExecuteBillQuery} page, at most 2000
 * @param pollInterval   pause between incremental polls
 * @param overlap        how far before the watermark the look-back reads again, for late commits
 * @param lookBackInterval how often the look-back runs (at most once per poll)
 * @param dateFieldKeys  the fields read as dates; other text stays text
 */
public record JobSpec(
        String id,
        String account,
        String formId,
        List<String> fieldKeys,
        Set<String> entryFieldKeys,
        String filter,
        int pageSize,
        Duration pollInterval,
        Duration overlap,
        Duration lookBackInterval,
        Set<String> dateFieldKeys) {

    /** A job that looks back on every poll and reads the standard date fields as dates. */
    public JobSpec(String id, String account, String formId, List<String> fieldKeys, Set<String> entryFieldKeys, String filter,
            int pageSize, Duration pollInterval, Duration overlap) {
        this(id, account, formId, fieldKeys, entryFieldKeys, filter, pageSize, pollInterval, overlap, pollInterval,
                Set.copyOf(ValueNormalizer.DATE_FIELDS));
    }

    public JobSpec {
        Arguments.requireNonNull("id", id, "account", account, "formId", formId);
        fieldKeys = List.copyOf(fieldKeys);
        entryFieldKeys = Set.copyOf(entryFieldKeys);
        filter = filter == null ? "" : filter.strip();
        Arguments.requireNonNull("pollInterval", pollInterval, "overlap", overlap, "lookBackInterval", lookBackInterval);
        dateFieldKeys = Set.copyOf(dateFieldKeys);
    }
}
