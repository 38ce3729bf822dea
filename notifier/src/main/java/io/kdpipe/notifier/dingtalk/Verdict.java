package io.kdpipe.notifier.dingtalk;

/**
 * A classified DingTalk answer.
 *
 * @param ok          DingTalk accepted the call ({@code errcode 0})
 * @param errorClass  what to do when not ok; null when ok
 * @param pause       whether every send should pause, and why
 * @param httpStatus  the HTTP status, or 0 when no answer came (timeout, reset)
 * @param errcode     the {@code errcode}, or null when the body had none
 * @param subCode     the {@code sub_code} (from the field or from {@code subcode=} in {@code errmsg}), or null
 * @param reason      a short stable name of the failure for metrics and dead-letter headers, e.g. {@code BAD_USERID}
 * @param detail      a human-readable description (never holds a token or secret)
 */
public record Verdict(boolean ok, ErrorClass errorClass, Pause pause, int httpStatus, Long errcode, String subCode,
                      String reason, String detail) {

    static Verdict success(int httpStatus) {
        return new Verdict(true, null, Pause.NONE, httpStatus, 0L, null, "OK", "ok");
    }

    static Verdict failure(ErrorClass c, Pause p, int httpStatus, Long errcode, String subCode, String reason, String detail) {
        return new Verdict(false, c, p, httpStatus, errcode, subCode, reason, detail);
    }

    /** A call that got no answer: the outcome is unknown, so it is retried (DingTalk de-duplicates same-day copies). */
    public static Verdict noAnswer(String reason, String detail) {
        return new Verdict(false, ErrorClass.RETRY, Pause.NONE, 0, null, null, reason, detail);
    }

    Verdict withErrcode(Long code) {
        return new Verdict(ok, errorClass, pause, httpStatus, code, subCode, reason, detail);
    }

    /** The errcode as text for tags and headers, or {@code none}. */
    public String errcodeText() {
        return errcode == null ? "none" : String.valueOf(errcode);
    }

    public String subCodeText() {
        return subCode == null ? "none" : subCode;
    }
}
