package io.kdpipe.notifier.dingtalk;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Json;

/**
 * Classifies DingTalk {@code oapi} answers by HTTP status, {@code errcode}, {@code sub_code} and body
 * shape, following the error table of {@code dingtalk-work-notice-api.md}:
 *
 * <ul>
 *   <li>RETRY: {@code -1}; HTTP 5xx and {@code errcode 500}; {@code 88}+{@code 90018} (pause ≥ 1 s);
 *       {@code 90002} (global rate); {@code 90003}–{@code 90006} (temporary ban); an HTML body or
 *       {@code status:1111} (IP ban); no answer at all (timeout, reset).</li>
 *   <li>REFRESH_TOKEN: {@code 88}+{@code 40014}, {@code 40014}, {@code 42001}, {@code 40001}.</li>
 *   <li>PERMANENT: no permission, IP not whitelisted, bad agent_id, bad parameters or msgtype, bad
 *       userid, too many recipients, to_all_user refused, too long, forbidden content, sending
 *       blocked, monthly quota ({@code 90020}, which also pauses), and the "token missing" bugs
 *       ({@code 88}+{@code 40000}/{@code 41001}) that must not loop.</li>
 * </ul>
 *
 * <p>{@code errcode 88} is decided by its sub_code only; an 88 with an unknown sub_code, an unknown
 * errcode, HTTP 429/408 or a JSON body of unknown shape is retried (bounded by the deadline), other
 * HTTP 4xx are permanent.
 */
public final class Classifier {

    private static final Pattern SUBCODE_IN_MESSAGE = Pattern.compile("sub_?code\\s*[=:]\\s*\"?(\\d+)");

    private static final Set<Long> TOKEN = Set.of(40014L, 42001L, 40001L);
    private static final Set<Long> BAD_USERID = Set.of(33012L, 40003L, 40031L, 60121L);
    private static final Set<Long> TOO_LONG = Set.of(45002L, 45003L, 41101L);
    private static final Set<Long> BAD_PARAMETER = Set.of(40035L, 400002L, 40008L);
    private static final Set<Long> TO_ALL_REFUSED = Set.of(41028L, 41045L, 41046L);
    private static final Set<Long> FORBIDDEN_CONTENT = Set.of(41049L, 1430002L);

    private Classifier() {
    }

    /** Classifies an HTTP answer. */
    public static Verdict classify(int httpStatus, String body) {
        if (httpStatus >= 500) {
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, httpStatus, null, null, "HTTP_5XX", "HTTP " + httpStatus);
        }
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            if (looksLikeHtml(body)) {
                return Verdict.failure(ErrorClass.RETRY, Pause.IP_BAN, httpStatus, null, null, "IP_BAN",
                        "HTML page instead of JSON (egress IP banned)");
            }
            if (httpStatus == 429 || httpStatus == 408) {
                return Verdict.failure(ErrorClass.RETRY, Pause.GLOBAL_RATE, httpStatus, null, null, "HTTP_" + httpStatus, "HTTP " + httpStatus);
            }
            if (httpStatus >= 400) {
                return Verdict.failure(ErrorClass.PERMANENT, Pause.NONE, httpStatus, null, null, "HTTP_4XX", "HTTP " + httpStatus);
            }
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, httpStatus, null, null, "NOT_JSON", "answer is not JSON");
        }
        JsonNode errcodeNode = json.get("errcode");
        if (errcodeNode == null || !errcodeNode.canConvertToLong()) {
            if (json.path("status").asInt() == 1111 || "deny".equals(json.path("punish").asText())) {
                return Verdict.failure(ErrorClass.RETRY, Pause.IP_BAN, httpStatus, null, null, "IP_BAN",
                        "egress IP banned (status 1111), wait " + json.path("wait").asText("?") + " min");
            }
            if (httpStatus == 429 || httpStatus == 408) {
                return Verdict.failure(ErrorClass.RETRY, Pause.GLOBAL_RATE, httpStatus, null, null, "HTTP_" + httpStatus, "HTTP " + httpStatus);
            }
            if (httpStatus >= 400) {
                return Verdict.failure(ErrorClass.PERMANENT, Pause.NONE, httpStatus, null, null, "HTTP_4XX", "HTTP " + httpStatus);
            }
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, httpStatus, null, null, "NO_ERRCODE", "answer has no errcode");
        }
        long errcode = errcodeNode.asLong();
        String errmsg = json.path("errmsg").asText("");
        String subCode = subCode(json, errmsg);
        if (errcode == 0) {
            return Verdict.success(httpStatus);
        }
        if (errcode == 88) {
            return classify88(httpStatus, subCode, errmsg);
        }
        return classifyCode(httpStatus, errcode, subCode, errmsg);
    }

    private static Verdict classify88(int http, String subCode, String errmsg) {
        Long sub = subCode == null ? null : parseLong(subCode);
        if (sub == null) {
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, http, 88L, subCode, "ERRCODE_88", "88 without sub_code: " + errmsg);
        }
        if (sub == 90018) {
            return Verdict.failure(ErrorClass.RETRY, Pause.APP_RATE, http, 88L, subCode, "APP_RATE", "over the app's rate: " + errmsg);
        }
        if (sub == 40000 || sub == 41001) {
            return Verdict.failure(ErrorClass.PERMANENT, Pause.NONE, http, 88L, subCode, "TOKEN_MISSING",
                    "the request carried no access token (a bug): " + errmsg);
        }
        if (sub == 40014 || TOKEN.contains(sub)) {
            return Verdict.failure(ErrorClass.REFRESH_TOKEN, Pause.NONE, http, 88L, subCode, "TOKEN_INVALID", "access token refused");
        }
        if (sub == 60011 || sub == 60020) {
            return classifyCode(http, sub, subCode, errmsg).withErrcode(88L);
        }
        return Verdict.failure(ErrorClass.RETRY, Pause.NONE, http, 88L, subCode, "ERRCODE_88", "88 with unknown sub_code: " + errmsg);
    }

    private static Verdict classifyCode(int http, long code, String subCode, String errmsg) {
        Long e = code;
        if (code == -1) {
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, http, e, subCode, "BUSY", "system busy");
        }
        if (code == 500) {
            return Verdict.failure(ErrorClass.RETRY, Pause.NONE, http, e, subCode, "SERVER_ERROR", "server error: " + errmsg);
        }
        if (code == 90002) {
            return Verdict.failure(ErrorClass.RETRY, Pause.GLOBAL_RATE, http, e, subCode, "GLOBAL_RATE", "global rate limit: " + errmsg);
        }
        if (code >= 90003 && code <= 90006) {
            return Verdict.failure(ErrorClass.RETRY, Pause.TEMPORARY_BAN, http, e, subCode, "TEMPORARY_BAN", "temporarily banned: " + errmsg);
        }
        if (TOKEN.contains(code)) {
            return Verdict.failure(ErrorClass.REFRESH_TOKEN, Pause.NONE, http, e, subCode, "TOKEN_INVALID", "access token refused");
        }
        if (code == 90020) {
            return Verdict.failure(ErrorClass.PERMANENT, Pause.MONTHLY_QUOTA, http, e, subCode, "MONTHLY_QUOTA", "monthly call quota used up");
        }
        String reason = code == 60011 ? "NO_PERMISSION"
                : code == 60020 ? "IP_NOT_WHITELISTED"
                : code == 40056 ? "BAD_AGENT_ID"
                : BAD_PARAMETER.contains(code) ? "BAD_PARAMETER"
                : BAD_USERID.contains(code) ? "BAD_USERID"
                : code == 41029 ? "TOO_MANY_RECIPIENTS"
                : TO_ALL_REFUSED.contains(code) ? "TO_ALL_REFUSED"
                : TOO_LONG.contains(code) ? "TOO_LONG"
                : FORBIDDEN_CONTENT.contains(code) ? "FORBIDDEN_CONTENT"
                : code == 41044 ? "SENDING_BLOCKED"
                : null;
        if (reason != null) {
            return Verdict.failure(ErrorClass.PERMANENT, Pause.NONE, http, e, subCode, reason, errmsg);
        }
        return Verdict.failure(ErrorClass.RETRY, Pause.NONE, http, e, subCode, "UNKNOWN_ERRCODE", "unknown errcode: " + errmsg);
    }

    private static String subCode(JsonNode json, String errmsg) {
        for (String field : new String[] {"sub_code", "subcode", "subCode"}) {
            JsonNode n = json.get(field);
            if (n != null && !n.isNull() && !n.asText().isBlank()) {
                return n.asText().trim();
            }
        }
        Matcher m = SUBCODE_IN_MESSAGE.matcher(errmsg);
        return m.find() ? m.group(1) : null;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean looksLikeHtml(String body) {
        if (body == null) {
            return false;
        }
        String t = body.stripLeading().toLowerCase(Locale.ROOT);
        return t.startsWith("<!doctype html") || t.startsWith("<html") || t.contains("<body");
    }
}
