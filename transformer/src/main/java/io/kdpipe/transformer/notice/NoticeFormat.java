package io.kdpipe.transformer.notice;

/** The DingTalk message type notices are rendered as. */
public enum NoticeFormat {
    /** {@code {"msgtype":"markdown","markdown":{"title","text"}}}; field values are markdown-escaped. */
    MARKDOWN,
    /** {@code {"msgtype":"text","text":{"content"}}}. */
    TEXT
}
