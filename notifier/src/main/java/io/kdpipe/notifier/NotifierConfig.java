package io.kdpipe.notifier;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.config.SharedSettings;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.send.SendSettings;

/**
 * The notifier's validated settings, read from the environment (or a file) by {@link #read}. Every
 * problem is reported at once; the app secret shows as {@code ******}.
 *
 * @param kafka                  broker, topic prefix, HTTP port, client pass-through
 * @param dingTalkBaseUrl        {@code DINGTALK_BASE_URL}: the oapi endpoint (the sandbox's URL in tests and local runs)
 * @param appKey                 {@code DINGTALK_APP_KEY}
 * @param appSecret              {@code DINGTALK_APP_SECRET} (or {@code DINGTALK_APP_SECRET_FILE})
 * @param agentId                {@code DINGTALK_AGENT_ID}: the app's AgentId (a long)
 * @param callsPerSecond         {@code DINGTALK_RATE_PER_SECOND}: the app's rate across every replica
 * @param rateHeadroom           {@code DINGTALK_RATE_HEADROOM}: the fraction of that rate this deployment uses (1.0: all
 *                               of it; lower when something else sends with the same app). The limiter keeps
 *                               within any one-second window by itself, so no margin is needed
 * @param monthlyBudget          {@code DINGTALK_MONTHLY_BUDGET}: counted calls per calendar month
 * @param httpTimeout            {@code DINGTALK_HTTP_TIMEOUT}: per DingTalk request
 * @param tokenRefreshAhead      {@code DINGTALK_TOKEN_REFRESH_AHEAD}: refresh the token this long before it expires
 * @param send                   how the send loop retries, pauses, verifies, checks userids and remembers sends
 *                               ({@code NOTIFIER_*}, {@code DINGTALK_QUOTA_ZONE}; see {@link SendSettings}), with the
 *                               topic names under the prefix
 * @param groupId                {@code NOTIFIER_GROUP_ID}
 * @param transactionalId        {@code NOTIFIER_TRANSACTIONAL_ID}: unique among the replicas running at one time
 *                               (the pod name); a replaced replica is fenced by its stale consumer group
 *                               generation, which the group coordinator refuses in the ledger transaction,
 *                               not by this id
 */
public record NotifierConfig(
        KafkaConfig kafka,
        URI dingTalkBaseUrl,
        String appKey,
        Secret appSecret,
        long agentId,
        double callsPerSecond,
        double rateHeadroom,
        int monthlyBudget,
        Duration httpTimeout,
        Duration tokenRefreshAhead,
        SendSettings send,
        String groupId,
        String transactionalId) {

    /** Reads every setting and throws one {@link io.kdpipe.common.config.ConfigException} listing all problems. */
    public static NotifierConfig read(ConfigReader r) {
        KafkaConfig kafka = KafkaConfig.read(r);
        URI base = r.uri("DINGTALK_BASE_URL", "https://oapi.dingtalk.com", "DingTalk oapi base URL");
        String appKey = r.required("DINGTALK_APP_KEY", "the DingTalk app's AppKey");
        Secret secret = r.secret("DINGTALK_APP_SECRET", "the DingTalk app's AppSecret");
        long agentId = r.longValue("DINGTALK_AGENT_ID", 0, 0, Long.MAX_VALUE, "the DingTalk app's AgentId");
        r.check(agentId > 0, "DINGTALK_AGENT_ID", "is required (the DingTalk app's AgentId)");
        double rate = r.decimal("DINGTALK_RATE_PER_SECOND", 20, 0.1, 10_000,
                "asyncsend_v2 calls per second for the app, shared by every notifier replica");
        double headroom = r.decimal("DINGTALK_RATE_HEADROOM", 1.0, 0.1, 1.0,
                "fraction of the rate this deployment uses, e.g. 0.5 when another system sends with the same app "
                        + "(no margin is needed: calls are counted until a second after they end)");
        int budget = r.integer(SharedSettings.DINGTALK_MONTHLY_BUDGET, SharedSettings.DEFAULT_DINGTALK_MONTHLY_BUDGET, 1, Integer.MAX_VALUE,
                "DingTalk calls allowed per calendar month (standard edition 5000, professional 200000)");
        ZoneId zone = r.zone(SharedSettings.DINGTALK_QUOTA_ZONE, SharedSettings.DEFAULT_DINGTALK_QUOTA_ZONE, "time zone of DingTalk's months and days");
        boolean dlOverBudget = r.bool("NOTIFIER_DEAD_LETTER_OVER_BUDGET", false,
                "at the monthly budget, dead-letter notices instead of pausing until next month");
        Duration deadline = r.duration("NOTIFIER_RETRY_DEADLINE", Duration.ofMinutes(15),
                "how long a notice is retried after its first failure before it is dead-lettered");
        Duration initial = r.duration("NOTIFIER_RETRY_INITIAL_BACKOFF", Duration.ofSeconds(1), "first retry delay (doubles per attempt, with jitter)");
        Duration max = r.duration("NOTIFIER_RETRY_MAX_BACKOFF", Duration.ofMinutes(2), "longest retry delay");
        Duration ipBan = r.duration("NOTIFIER_IP_BAN_PAUSE", Duration.ofMinutes(5), "pause of every send after an IP-ban answer");
        Duration tempBan = r.duration("NOTIFIER_TEMPORARY_BAN_PAUSE", Duration.ofMinutes(2), "pause of every send after 90003-90006");
        Duration timeout = r.duration("DINGTALK_HTTP_TIMEOUT", Duration.ofSeconds(10), "timeout of one DingTalk request");
        Duration ahead = r.duration("DINGTALK_TOKEN_REFRESH_AHEAD", Duration.ofMinutes(5), "refresh the access token this long before expiry");
        int batch = r.integer("NOTIFIER_COMMIT_BATCH", 1, 1, 500,
                "notices per ledger transaction; after a crash at most this many are sent again (DingTalk de-duplicates them)");
        double sample = r.decimal("NOTIFIER_VERIFY_SAMPLE_RATE", 0.0, 0.0, 1.0,
                "fraction of deliveries checked with getsendresult; each check is a counted call");
        Set<Notice.Kind> kinds = EnumSet.noneOf(Notice.Kind.class);
        for (String k : r.list("NOTIFIER_VERIFY_KINDS", "", "notice kinds always checked with getsendresult, e.g. FORBIDDEN,APPROVED")) {
            try {
                kinds.add(Notice.Kind.valueOf(k.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                r.check(false, "NOTIFIER_VERIFY_KINDS", "'" + k + "' is not one of " + Arrays.toString(Notice.Kind.values()));
            }
        }
        double share = r.decimal("NOTIFIER_VERIFY_BUDGET_SHARE", 0.1, 0.0, 1.0,
                "share of the monthly budget that getsendresult checks may use, spread over the month (0: none beyond the kinds and sample)");
        Duration verifyDelay = r.duration("NOTIFIER_VERIFY_DELAY", Duration.ofMinutes(2),
                "how long after a send getsendresult is asked (DingTalk fills the result in once the task has finished)");
        boolean checkUsers = r.bool("NOTIFIER_CHECK_USERS", true,
                "check userids with DingTalk's contacts API (free of the monthly quota) before sending to them");
        Duration userHorizon = r.duration("NOTIFIER_USER_CHECK_HORIZON", Duration.ofHours(24),
                "how long a userid found to be a member is trusted before it is checked again");
        Duration recheck = r.duration("NOTIFIER_USER_RECHECK_AFTER", Duration.ofMinutes(1),
                "how long a userid found unknown or departed is trusted before it is checked again");
        Duration sweep = r.duration("NOTIFIER_USER_SWEEP_INTERVAL", Duration.ofSeconds(10),
                "how often the directory's userids are checked for free, 10 at a time, ahead of any send "
                        + "(newly imported and stale entries first); 0s turns the sweep off");
        r.check(!sweep.isNegative(), "NOTIFIER_USER_SWEEP_INTERVAL", "must not be negative");
        Duration ledgerHorizon = r.duration("NOTIFIER_LEDGER_HORIZON", Topics.DELIVERIES_RETENTION,
                "how long sent notices are remembered to skip them if read again; at least the notices topic's retention");
        Duration probe = r.duration("NOTIFIER_QUOTA_PROBE_INTERVAL", Duration.ofMinutes(30),
                "after DingTalk's 90020 (quota used up), how often one notice is sent to see whether the quota is back");
        r.check(ledgerHorizon.compareTo(Topics.NOTICES_RETENTION) > 0, "NOTIFIER_LEDGER_HORIZON",
                "must be longer than the notices topic's retention (" + Topics.NOTICES_RETENTION.toDays() + " days)");
        r.check(!verifyDelay.isNegative(), "NOTIFIER_VERIFY_DELAY", "must not be negative");
        r.check(!probe.isZero() && !probe.isNegative(), "NOTIFIER_QUOTA_PROBE_INTERVAL", "must be positive");
        String group = r.string(SharedSettings.NOTIFIER_GROUP_ID, SharedSettings.DEFAULT_NOTIFIER_GROUP_ID, "consumer group of the notifier replicas");
        String host = r.source().get("HOSTNAME").orElse("local");
        String txId = r.string(SharedSettings.NOTIFIER_TRANSACTIONAL_ID, SharedSettings.DEFAULT_NOTIFIER_TRANSACTIONAL_ID_PREFIX + host,
                "transactional id, unique among running replicas (a replaced one is fenced by the consumer group)");
        r.check(max.compareTo(initial) >= 0, "NOTIFIER_RETRY_MAX_BACKOFF", "must not be shorter than NOTIFIER_RETRY_INITIAL_BACKOFF");
        r.check(!timeout.isZero(), "DINGTALK_HTTP_TIMEOUT", "must be positive");
        r.validate();
        String prefix = kafka.topicPrefix();
        // the poll timeout is no setting: it only bounds how long a poll waits when nothing is ready to send
        SendSettings send = new SendSettings(Topics.NOTICES.name(prefix), Topics.DELIVERIES.name(prefix),
                Topics.NOTICES_DLT.name(prefix), Topics.DIRECTORY.name(prefix), deadline, initial, max, ipBan, tempBan,
                dlOverBudget, batch, sample, kinds, Duration.ofMillis(100), share, verifyDelay, checkUsers, userHorizon, recheck,
                sweep, ledgerHorizon, zone, probe);
        return new NotifierConfig(kafka, base, appKey, secret, agentId, rate, headroom, budget, timeout, ahead, send, group, txId);
    }
}
