package io.kdpipe.notifier.dingtalk;

/**
 * A reason to stop calling DingTalk for a while, for every notice, not just the one that failed.
 * Each names the shortest pause DingTalk asks for.
 */
public enum Pause {
    /** No pause beyond the notice's own backoff. */
    NONE,
    /** {@code 88}/{@code 90018}: the app went over its per-second rate; wait at least a second. */
    APP_RATE,
    /** {@code 90002}: DingTalk's global rate limit; back off exponentially. */
    GLOBAL_RATE,
    /** {@code 90003}–{@code 90006}: temporarily banned; back off minutes. */
    TEMPORARY_BAN,
    /** An HTML page or {@code status:1111}: the egress IP is banned for about five minutes. */
    IP_BAN,
    /** {@code gettoken} refused the app key or secret: nothing can be sent until an operator fixes them. */
    CREDENTIALS_REFUSED,
    /** {@code 90020}: the monthly call quota is used up; park until next month. */
    MONTHLY_QUOTA
}
