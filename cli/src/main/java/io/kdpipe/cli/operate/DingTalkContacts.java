package io.kdpipe.cli.operate;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.ExponentialBackoff;
import io.kdpipe.notifier.dingtalk.DingTalkClient;
import io.kdpipe.notifier.dingtalk.DingTalkEvents;
import io.kdpipe.notifier.dingtalk.Pause;
import io.kdpipe.notifier.dingtalk.Throttle;
import io.kdpipe.notifier.dingtalk.Verdict;

/**
 * DingTalk's contacts lookups {@code topapi/v2/user/getbymobile}, {@code topapi/v2/user/get} and
 * {@code topapi/v2/department/listsub}, made through the notifier's {@link DingTalkClient}: its
 * cached access token (fetched anew once when refused) and its classification of the answers.
 * Contacts calls do not count toward the monthly message quota. A rate refusal ({@code 88}/{@code 90018},
 * {@code 90002}) or "busy" ({@code -1}) waits a second, then longer, and tries again; the app secret
 * and the token never appear in messages.
 */
final class DingTalkContacts {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final long NOT_FOUND = 60121;
    private static final long DEPT_NOT_FOUND = 60003;
    private static final int RATE_RETRIES = 5;
    /** 1, 2, 4, 4, 4 s: a quarter of a minute in all before giving up, as DingTalk's per-second limits pass. */
    private static final ExponentialBackoff RATE_BACKOFF = ExponentialBackoff.of(Duration.ofSeconds(1), Duration.ofSeconds(4));
    private static final Duration TOKEN_REFRESH_AHEAD = Duration.ofMinutes(5);
    private static final String BY_MOBILE = "user/getbymobile";
    private static final String USER_GET = "user/get";
    private static final String LISTSUB = "department/listsub";

    private final URI base;
    private final DingTalkClient client;

    DingTalkContacts(URI base, String appKey, Secret appSecret, HttpClient http, Duration timeout) {
        this.base = base;
        // agent 0: the contacts APIs take no agent_id
        this.client = new DingTalkClient(base, appKey, appSecret, 0, http, Clock.systemUTC(), timeout, TOKEN_REFRESH_AHEAD,
                Throttle.NONE, Throttle.NONE, DingTalkEvents.NONE);
    }

    /** The userid of the person with this mobile, or empty when DingTalk does not know it ({@code 60121}). */
    Optional<String> userIdByMobile(String mobile) {
        JsonNode answer = call(BY_MOBILE, MAPPER.createObjectNode().put("mobile", mobile));
        String userId = answer == null ? "" : answer.path("result").path("userid").asText("");
        return userId.isEmpty() ? Optional.empty() : Optional.of(userId);
    }

    /**
     * Whether {@code userId} is a member of the organisation ({@code topapi/v2/user/get}): false when
     * DingTalk does not find it ({@code 60121}: never a member, or left).
     */
    boolean isMember(String userId) {
        return call(USER_GET, MAPPER.createObjectNode().put("userid", userId)) != null;
    }

    /** A DingTalk department as {@code department/listsub} lists it. */
    record Department(long deptId, String name, long parentId) {
    }

    /** The direct sub-departments of {@code deptId} ({@code 1}: the organisation's root); empty when it has none or does not exist. */
    List<Department> subDepartments(long deptId) {
        JsonNode answer = call(LISTSUB, MAPPER.createObjectNode().put("dept_id", deptId));
        List<Department> out = new ArrayList<>();
        if (answer != null) {
            for (JsonNode d : answer.path("result")) {
                out.add(new Department(d.path("dept_id").asLong(), d.path("name").asText(""), deptId));
            }
        }
        return out;
    }

    /** The answer of a contacts API, or null when it does not find what was asked ({@code 60121}, {@code 60003}). */
    private JsonNode call(String api, JsonNode request) {
        for (int attempt = 1; ; attempt++) {
            DingTalkClient.ContactsAnswer answer = client.contacts(api, request);
            Verdict v = answer.verdict();
            if (v.ok()) {
                return answer.body();
            }
            long errcode = v.errcode() == null ? 0 : v.errcode();
            if (errcode == NOT_FOUND || errcode == DEPT_NOT_FOUND) {
                return null;
            }
            boolean rate = v.pause() == Pause.APP_RATE || v.pause() == Pause.GLOBAL_RATE || "BUSY".equals(v.reason());
            if (rate && attempt <= RATE_RETRIES) {
                pause(RATE_BACKOFF.delay(attempt));
                continue;
            }
            throw failure(api, v);
        }
    }

    private OperateException failure(String api, Verdict v) {
        return switch (v.reason()) {
            case "IO_ERROR", "TIMEOUT" -> new OperateException(ExitCodes.UNREACHABLE, "DingTalk at " + base
                    + " could not be reached for " + api + " (" + v.detail() + ")");
            case "CREDENTIALS_REFUSED" -> new OperateException(ExitCodes.FAILED, "DingTalk refused the app credentials (gettoken errcode "
                    + v.errcodeText() + ")");
            case "INTERRUPTED" -> new OperateException(ExitCodes.FAILED, "interrupted");
            default -> new OperateException(ExitCodes.FAILED, "DingTalk " + api + " answered "
                    + (v.errcode() != null ? "errcode " + v.errcode() + (v.subCode() == null ? "" : " sub_code " + v.subCode())
                            : "HTTP " + v.httpStatus())
                    + ": " + v.reason() + " (" + v.detail() + ")");
        };
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }
}
