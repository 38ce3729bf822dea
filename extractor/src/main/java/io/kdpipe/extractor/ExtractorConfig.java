package io.kdpipe.extractor;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.config.SharedSettings;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.kingdee.BillQuery;
import io.kdpipe.extractor.kingdee.KingdeeAuth;
import io.kdpipe.extractor.kingdee.KingdeeSite;
import io.kdpipe.extractor.kingdee.RetryPolicy;
import io.kdpipe.extractor.kingdee.Signatures;
import io.kdpipe.extractor.rows.CustomerFieldKeys;
import io.kdpipe.extractor.rows.ValueNormalizer;

/**
 * The extractor's validated configuration, read from the environment (see {@link #read}). Secrets
 * are {@link Secret}s, so {@link #toString()} never shows them.
 *
 * @param kafka                  brokers, topic prefix, HTTP port, client pass-through
 * @param site                   the Kingdee site, account and login
 * @param zone                   the Kingdee server's zone for dates ({@code KINGDEE_ZONE})
 * @param jobs                   the jobs every replica shares, sorted by id
 * @param groupId                consumer group through which replicas share jobs
 * @param transactionalIdPrefix  prefix of each job's transactional id
 * @param sessionTimeout         how long a silent replica keeps its jobs
 * @param retry                  retries of calls that may succeed later
 * @param permanentErrorPause    pause after an error that will not pass by itself
 * @param warnings               what start-up should tell the operator: field keys translated or of an unknown table
 */
public record ExtractorConfig(
        KafkaConfig kafka,
        KingdeeSite site,
        ZoneId zone,
        List<JobSpec> jobs,
        String groupId,
        String transactionalIdPrefix,
        Duration sessionTimeout,
        RetryPolicy retry,
        Duration permanentErrorPause,
        List<String> warnings) {

    /** The default field keys: the seed's 52 columns, the names people read, dates and statuses ({@link CustomerFieldKeys#DEFAULTS}). */
    public static final List<String> DEFAULT_FIELD_KEYS = CustomerFieldKeys.DEFAULTS;

    /** How the extractor logs in to Kingdee. */
    public enum AuthMode { PASSWORD, APP_SECRET, SIGNED_LOGIN, SIGNATURE_HEADERS }

    public static ExtractorConfig from(Map<String, String> env) {
        return read(new ConfigReader(ConfigSource.of(env)));
    }

    /** Reads every key, then throws one {@code ConfigException} naming every problem found. */
    public static ExtractorConfig read(ConfigReader r) {
        KafkaConfig kafka = KafkaConfig.read(r);
        URI url = r.uri("KINGDEE_URL", null, "the Kingdee site root, e.g. https://erp.example.com/k3cloud/");
        if (url == null) {
            r.check(r.source().get("KINGDEE_URL").isPresent(), "KINGDEE_URL", "is required (the Kingdee site root)");
        }
        String acct = r.required("KINGDEE_ACCT_ID", "the data-centre id (acctID), e.g. 5867f8d847e804");
        String user = r.required("KINGDEE_USERNAME", "the Kingdee user the extractor runs as");
        AuthMode mode = r.choice("KINGDEE_AUTH", AuthMode.class, AuthMode.PASSWORD,
                "how to log in: PASSWORD (ValidateUser), APP_SECRET (LoginByAppSecret), SIGNED_LOGIN (LoginBySign) or SIGNATURE_HEADERS");
        KingdeeAuth auth = null;
        if (mode == AuthMode.PASSWORD) {
            Secret password = r.secret("KINGDEE_PASSWORD", "the Kingdee user's password");
            if (password != null) {
                auth = new KingdeeAuth.Password(password);
            }
        } else {
            String appId = r.required("KINGDEE_APP_ID", "the third-party app's AppID, <clientId>_<32 characters>");
            Secret secret = r.secret("KINGDEE_APP_SECRET", "the third-party app's AppSecret");
            if (appId != null && mode == AuthMode.SIGNATURE_HEADERS) {
                try {
                    Signatures.apiKey(appId);
                } catch (IllegalArgumentException e) {
                    r.check(false, "KINGDEE_APP_ID", e.getMessage());
                }
            }
            String org = r.string("KINGDEE_ORG_NUMBER", "0", "organisation number signed into X-Kd-Appdata (signature headers)");
            if (appId != null && secret != null) {
                auth = switch (mode) {
                    case APP_SECRET -> new KingdeeAuth.AppSecret(appId, secret);
                    case SIGNED_LOGIN -> new KingdeeAuth.SignedLogin(appId, secret);
                    default -> new KingdeeAuth.SignatureHeaders(appId, secret, org);
                };
            }
        }
        int lcid = r.integer("KINGDEE_LCID", 2052, 1, 65535, "language of Kingdee's messages; 2052 = Simplified Chinese");
        Duration timeout = r.duration("KINGDEE_TIMEOUT", Duration.ofSeconds(120), "timeout of one Kingdee call");
        ZoneId zone = r.zone("KINGDEE_ZONE", "Asia/Shanghai", "the Kingdee server's local zone; its dates carry no offset");
        String form = r.string("KINGDEE_FORM_ID", "BD_Customer", "the form to extract");
        List<String> fields = r.list("KINGDEE_FIELD_KEYS", String.join(",", DEFAULT_FIELD_KEYS),
                "field keys to query, references dotted (FSELLER.FNumber); FCUSTID, FModifyDate and the fields notices depend on "
                        + "are always added");
        List<String> entryFields = r.list("KINGDEE_ENTRY_FIELD_KEYS", "",
                "further fields of the bank-account entry FT_BD_CUSTBANK (one row per account), any spelling; folded into arrays");
        List<String> dateFields = r.list("KINGDEE_DATE_FIELD_KEYS", "",
                "further fields read as dates (besides " + String.join(", ", ValueNormalizer.DATE_FIELDS) + "); other text stays text");
        String filter = r.string("KINGDEE_FILTER", "", "an extra FilterString every job applies, e.g. FIsTrade = 1");
        int pageSize = r.integer("KINGDEE_PAGE_SIZE", BillQuery.MAX_LIMIT, 1, BillQuery.MAX_LIMIT, "rows per ExecuteBillQuery page");
        List<String> orgs = r.list("KINGDEE_USE_ORGS", "",
                "use-organisation numbers, one job each (FUseOrgId.FNumber = ...); empty = one job for all rows");
        Duration poll = r.duration("KDPIPE_EXTRACTOR_POLL_INTERVAL", Duration.ofSeconds(30), "pause between incremental polls of a job");
        Duration overlap = r.duration("KDPIPE_EXTRACTOR_OVERLAP", Duration.ofMinutes(5),
                "how far behind its position a job reads again for saves that commit late: the longest save plus any clock skew");
        Duration lookBack = r.duration("KDPIPE_EXTRACTOR_LOOKBACK_INTERVAL", Duration.ofMinutes(1),
                "how often a job reads the overlap window again (key and date only) for saves that commit late");
        String group = r.string(SharedSettings.EXTRACTOR_GROUP_ID, SharedSettings.DEFAULT_EXTRACTOR_GROUP_ID, "consumer group through which replicas share jobs");
        String txPrefix = r.string(SharedSettings.EXTRACTOR_TRANSACTIONAL_ID_PREFIX, SharedSettings.DEFAULT_EXTRACTOR_TRANSACTIONAL_ID_PREFIX,
                "prefix of each job's transactional id; must be the same on every replica");
        Duration session = r.duration("KDPIPE_EXTRACTOR_SESSION_TIMEOUT", Duration.ofSeconds(30),
                "how long a replica that stopped answering keeps its jobs before another takes them");
        int attempts = r.integer("KINGDEE_RETRY_ATTEMPTS", 5, 1, 100, "attempts of a Kingdee call that may succeed later");
        Duration backoff = r.duration("KINGDEE_RETRY_BACKOFF", Duration.ofSeconds(1), "first pause before repeating a Kingdee call");
        Duration maxBackoff = r.duration("KINGDEE_RETRY_MAX_BACKOFF", Duration.ofSeconds(60), "longest pause between attempts");
        Duration permanentPause = r.duration("KDPIPE_EXTRACTOR_PERMANENT_ERROR_PAUSE", Duration.ofMinutes(5),
                "pause after an error that will not pass by itself (refused login, bad field or filter)");
        r.check(!session.isNegative() && session.toMillis() >= 6000, "KDPIPE_EXTRACTOR_SESSION_TIMEOUT",
                "must be at least 6s (the broker's group.min.session.timeout.ms default)");
        r.check(!poll.isZero(), "KDPIPE_EXTRACTOR_POLL_INTERVAL", "must be more than 0");
        r.check(lookBack.compareTo(overlap) <= 0 || overlap.isZero(), "KDPIPE_EXTRACTOR_LOOKBACK_INTERVAL",
                "must not be longer than KDPIPE_EXTRACTOR_OVERLAP, or a late save could leave the window unseen");
        r.validate();

        KingdeeSite site = new KingdeeSite(url, acct, user, auth, lcid, timeout);
        List<String> warnings = new ArrayList<>();
        List<String> flattened = CustomerFieldKeys.flattened(fields);
        if (!flattened.isEmpty()) {
            warnings.add("KINGDEE_FIELD_KEYS: " + flattened.stream().map(k -> k + " is read as " + CustomerFieldKeys.dotted(k))
                    .collect(Collectors.joining(", ")) + " (Kingdee field keys write references with a dot)");
        }
        List<String> wanted = new ArrayList<>(fields.stream().map(CustomerFieldKeys::dotted).toList());
        List<String> added = new ArrayList<>();
        List<String> required = new ArrayList<>(CustomerFieldKeys.NOTICE_FIELDS);
        for (String k : required) {
            if (wanted.stream().noneMatch(f -> f.trim().equalsIgnoreCase(k))) {
                wanted.add(k);
                added.add(k);
            }
        }
        if (!added.isEmpty() && r.source().get("KINGDEE_FIELD_KEYS").isPresent()) {
            warnings.add("KINGDEE_FIELD_KEYS lacks fields notices depend on; also queried: " + String.join(", ", added));
        }
        List<String> keys = withRequired(wanted);
        Set<String> extraEntries = Set.copyOf(entryFields);
        Set<String> entries = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String k : keys) {
            Optional<String> table = CustomerFieldKeys.tableOf(k, extraEntries);
            if (table.isEmpty()) {
                unknown.add(k);
            } else if (table.get().equals(CustomerFieldKeys.BANK_TABLE)) {
                entries.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            warnings.add("KINGDEE_FIELD_KEYS: the table of " + String.join(", ", unknown) + " is not known; published as one value "
                    + "per customer. A field of the bank-account entry " + CustomerFieldKeys.BANK_TABLE
                    + " belongs in KINGDEE_ENTRY_FIELD_KEYS");
        }
        Set<String> dates = new LinkedHashSet<>(ValueNormalizer.DATE_FIELDS);
        dates.addAll(dateFields);
        List<JobSpec> jobs = new ArrayList<>();
        if (orgs.isEmpty()) {
            jobs.add(new JobSpec(acct + "." + form + ".all", acct, form, keys, entries, filter, pageSize, poll, overlap, lookBack, dates));
        } else {
            for (String org : orgs) {
                String orgFilter = "FUseOrgId.FNumber = '" + org.replace("'", "''") + "'";
                String jobFilter = filter.isBlank() ? orgFilter : "(" + filter + ") AND " + orgFilter;
                jobs.add(new JobSpec(acct + "." + form + ".org-" + org, acct, form, keys, entries, jobFilter, pageSize, poll, overlap, lookBack, dates));
            }
        }
        jobs.sort(Comparator.comparing(JobSpec::id));
        return new ExtractorConfig(kafka, site, zone, List.copyOf(jobs), group, txPrefix, session,
                new RetryPolicy(attempts, backoff, maxBackoff), permanentPause, List.copyOf(warnings));
    }

    private static List<String> withRequired(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String required : List.of("FCUSTID", "FModifyDate")) {
            if (fields.stream().noneMatch(f -> f.trim().equalsIgnoreCase(required))) {
                out.add(required);
            }
        }
        out.addAll(fields);
        return out.stream().map(f -> f.trim()).filter(f -> !f.isEmpty()).distinct()
                .map(f -> f.toUpperCase(Locale.ROOT).equals("FCUSTID") ? "FCUSTID" : f).toList();
    }
}
