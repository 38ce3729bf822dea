package io.kdpipe.extractor.kingdee;

import java.util.Locale;

/**
 * A Kingdee call that did not return data, classified by what the caller should do about it. The
 * message names the service, the cause and Kingdee's own words; it never holds a secret.
 */
public final class KingdeeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, and so what to do next. */
    public enum Kind {
        /** {@code MsgCode} 1: the session is gone; log in again and repeat the call once. */
        SESSION_LOST(false),
        /** {@code MsgCode} 14, HTTP 429 or 5xx, a timeout or a broken connection: may succeed later. */
        TRANSIENT(true),
        /** The site refused the login: wrong password, account id, app id or secret. */
        LOGIN_REFUSED(false),
        /** The query itself is wrong: unknown form, field or filter, missing permission, licence. */
        QUERY_REJECTED(false),
        /** The body is neither data nor a Kingdee error: HTML, a proxy page, truncated JSON. */
        BAD_RESPONSE(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final String service;
    private final Integer msgCode;
    private final int httpStatus;

    public KingdeeException(Kind kind, String service, Integer msgCode, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.service = service;
        this.msgCode = msgCode;
        this.httpStatus = httpStatus;
    }

    public KingdeeException(Kind kind, String service, Integer msgCode, int httpStatus, String message) {
        this(kind, service, msgCode, httpStatus, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The service's short name, e.g. {@code ExecuteBillQuery}. */
    public String service() {
        return service;
    }

    /** Kingdee's {@code MsgCode}, when the answer carried one. */
    public Integer msgCode() {
        return msgCode;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** A short label for metrics: {@code session_lost}, {@code throttled}, {@code http_503}, {@code msg_code_9}, ... */
    public String outcome() {
        if (msgCode != null) {
            return msgCode == 14 ? "throttled" : msgCode == 1 ? "session_lost" : "msg_code_" + msgCode;
        }
        return switch (kind) {
            case TRANSIENT -> httpStatus == 0 ? "timeout_or_io" : "http_" + httpStatus;
            case LOGIN_REFUSED -> "login_refused";
            case BAD_RESPONSE -> "bad_response";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
