package io.kdpipe.sandbox.dingtalk;

/** A failure the sandbox can answer a call with instead of serving it. */
public enum Fault {
    /** HTTP 200 {@code {"errcode":-1,"errmsg":"系统繁忙"}}; nothing is delivered. */
    BUSY,
    /** HTTP 503 with a plain-text body; nothing is delivered. */
    HTTP_5XX,
    /** HTTP 200 {@code errcode 88}, {@code sub_code 90018}, as if the app went over its rate (not counted as a violation). */
    APP_RATE,
    /** HTTP 200 {@code errcode 90002} (global rate limit); nothing is delivered. */
    GLOBAL_QPS,
    /** The egress-IP ban: an HTML page with HTTP 200 and no errcode; nothing is delivered. */
    BAN_HTML,
    /** The egress-IP ban in its JSON form {@code {"status":1111,"wait":5,"punish":"deny"}}. */
    BAN_JSON,
    /** The call is served (the message is delivered) but the answer is held back for the hang time. */
    HANG_AFTER_DELIVERY,
    /** The answer is held back for the hang time and nothing is delivered. */
    HANG_BEFORE_DELIVERY
}
