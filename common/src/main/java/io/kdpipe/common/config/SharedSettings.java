package io.kdpipe.common.config;

/**
 * Names and defaults of the settings more than one program reads: each service's identity in Kafka
 * ({@code kdpipe status} finds the services' consumer groups by them) and DingTalk's monthly quota
 * ({@code kdpipe status} reports the ledger against it). Declared once here; each program documents
 * its own meaning where it reads them.
 */
public final class SharedSettings {

    public static final String EXTRACTOR_GROUP_ID = "KDPIPE_EXTRACTOR_GROUP_ID";
    public static final String DEFAULT_EXTRACTOR_GROUP_ID = "kdpipe-extractor";
    public static final String EXTRACTOR_TRANSACTIONAL_ID_PREFIX = "KDPIPE_EXTRACTOR_TRANSACTIONAL_ID_PREFIX";
    public static final String DEFAULT_EXTRACTOR_TRANSACTIONAL_ID_PREFIX = "kdpipe-extractor";

    public static final String TRANSFORMER_APPLICATION_ID = "KDPIPE_TRANSFORMER_APPLICATION_ID";
    public static final String DEFAULT_TRANSFORMER_APPLICATION_ID = "kdpipe-transformer";

    public static final String NOTIFIER_GROUP_ID = "NOTIFIER_GROUP_ID";
    public static final String DEFAULT_NOTIFIER_GROUP_ID = "kdpipe-notifier";
    public static final String NOTIFIER_TRANSACTIONAL_ID = "NOTIFIER_TRANSACTIONAL_ID";
    /** The default transactional id is this followed by the host name. */
    public static final String DEFAULT_NOTIFIER_TRANSACTIONAL_ID_PREFIX = "kdpipe-notifier-";

    public static final String DINGTALK_MONTHLY_BUDGET = "DINGTALK_MONTHLY_BUDGET";
    /** DingTalk's standard edition: 5,000 calls per calendar month. */
    public static final int DEFAULT_DINGTALK_MONTHLY_BUDGET = 5_000;
    public static final String DINGTALK_QUOTA_ZONE = "DINGTALK_QUOTA_ZONE";
    public static final String DEFAULT_DINGTALK_QUOTA_ZONE = "Asia/Shanghai";

    private SharedSettings() {
    }
}
