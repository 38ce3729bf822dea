package io.kdpipe.notifier.dingtalk;

/** What to do about a DingTalk answer that is not a success. */
public enum ErrorClass {
    /** Try again later, with backoff, until the deadline. */
    RETRY,
    /** The access token was refused: fetch a new one, then retry once. */
    REFRESH_TOKEN,
    /** Retrying cannot help: dead-letter (and alert). */
    PERMANENT
}
