package io.kdpipe.cli.operate;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.Json;

/**
 * DingTalk's contacts lookups {@code topapi/v2/user/getbymobile}, {@code topapi/v2/user/get} and
 * {@code topapi/v2/department/listsub}, with the app's access token from
 * {@code gettoken}. Contacts calls do not count toward the monthly message quota. A rate refusal
 * ({@code 88}/{@code 90018}) waits a second and tries again; the app secret and the token never appear
 * in messages.
 */
final class DingTalkContacts {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final int NOT_FOUND = 60121;
    private static final int DEPT_NOT_FOUND = 60003;
    private static final int RATE_RETRIES = 5;
    private static final String BY_MOBILE = "user/getbymobile";
    private static final String USER_GET = "user/get";
    private static final String LISTSUB = "department/listsub";

    private final URI base;
    private final String appKey;
    private final Secret appSecret;
    private final HttpClient http;
    private final Duration timeout;
    private String token;

    DingTalkContacts(URI base, String appKey, Secret appSecret, HttpClient http, Duration timeout) {
        this.base = base;
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.http = http;
        this.timeout = timeout;
    }

    /** The userid of the person with this mobile, or empty when DingTalk does not know it ({@code 60121}). */
    Optional<String> userIdByMobile(String mobile) {
        JsonNode answer = call(BY_MOBILE, MAPPER.createObjectNode().put("mobile", mobile).toString());
        String userId = answer == null ? "" : answer.path("result").path("userid").asText("");
        return userId.isEmpty() ? Optional.empty() : Optional.of(userId);
    }

    /**
     * Whether {@code userId} is a member of the organisation ({@code topapi/v2/user/get}): false when
     * DingTalk does not find it ({@code 60121}: never a member, or left).
     */
    boolean isMember(String userId) {
        return call(USER_GET, MAPPER.createObjectNode().put("userid", userId).toString()) != null;
    }

    /** A DingTalk department as {@code department/listsub} lists it. */
    record Department(long deptId, String name, long parentId) {
    }

    /** The direct sub-departments of {@code deptId} ({@code 1}: the organisation's root); empty when it has none or does not exist. */
    List<Department> subDepartments(long deptId) {
        JsonNode answer = call(LISTSUB, MAPPER.createObjectNode().put("dept_id", deptId).toString());
        List<Department> out = new ArrayList<>();
        if (answer != null) {
            for (JsonNode d : answer.path("result")) {
                out.add(new Department(d.path("dept_id").asLong(), d.path("name").asText(""), deptId));
            }
        }
        return out;
    }

    /** The answer of a contacts API, or null when it does not find what was asked ({@code 60121}, {@code 60003}). */
    private JsonNode call(String api, String body) {
        boolean refreshed = false;
        for (int attempt = 0; ; attempt++) {
            JsonNode answer = post("/topapi/v2/" + api + "?access_token=" + encode(token()), body, api);
            long errcode = answer.path("errcode").asLong(-1);
            String sub = answer.path("sub_code").asText("");
            if (errcode == 0) {
                return answer;
            }
            if (errcode == NOT_FOUND || errcode == DEPT_NOT_FOUND) {
                return null;
            }
            boolean tokenProblem = errcode == 40014 || errcode == 42001 || errcode == 40001 || sub.equals("40014");
            if (tokenProblem && !refreshed) {
                token = null;
                refreshed = true;
                continue;
            }
            boolean rate = sub.equals("90018") || errcode == 90018 || errcode == 90002 || errcode == -1;
            if (rate && attempt < RATE_RETRIES) {
                pause(Duration.ofSeconds(1).multipliedBy(attempt + 1));
                continue;
            }
            throw new OperateException(ExitCodes.FAILED, "DingTalk " + api + " answered errcode " + errcode
                    + (sub.isEmpty() ? "" : " sub_code " + sub) + ": " + answer.path("errmsg").asText(""));
        }
    }

    private String token() {
        if (token == null) {
            JsonNode answer = get("/gettoken?appkey=" + encode(appKey) + "&appsecret=" + encode(appSecret.reveal()));
            if (answer.path("errcode").asLong(-1) != 0 || answer.path("access_token").asText("").isEmpty()) {
                throw new OperateException(ExitCodes.FAILED, "DingTalk refused the app credentials (gettoken errcode "
                        + answer.path("errcode").asText("?") + ": " + answer.path("errmsg").asText("") + ")");
            }
            token = answer.path("access_token").asText();
        }
        return token;
    }

    private JsonNode get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout).GET().build(), "gettoken");
    }

    private JsonNode post(String pathAndQuery, String json, String api) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), api);
    }

    private JsonNode send(HttpRequest request, String api) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new OperateException(ExitCodes.FAILED, "DingTalk " + api + " answered HTTP " + response.statusCode());
            }
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new OperateException(ExitCodes.FAILED, "DingTalk " + api + " did not answer JSON");
        } catch (IOException e) {
            throw new OperateException(ExitCodes.UNREACHABLE, "DingTalk at " + base + " could not be reached for " + api
                    + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
