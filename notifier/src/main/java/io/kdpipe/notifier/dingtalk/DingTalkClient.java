package io.kdpipe.notifier.dingtalk;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.Json;

/**
 * DingTalk's {@code oapi} work-notification client for one app: a cached access token (refreshed
 * ahead of expiry, one refresh at a time; after a token error it is refreshed once and the call
 * retried once), {@code asyncsend_v2} with a JSON body and {@code getsendresult}. Every message
 * request, the retry after a token refresh included, holds a {@link Throttle} permit from before it
 * is sent until its answer is in. Neither the app secret nor the token ever reaches a
 * log line, exception or verdict.
 */
public final class DingTalkClient implements WorkNotifier {

    static final String TOKEN_PATH = "/gettoken";
    static final String SEND_PATH = "/topapi/message/corpconversation/asyncsend_v2";
    static final String RESULT_PATH = "/topapi/message/corpconversation/getsendresult";
    static final String USER_GET_PATH = "/topapi/v2/user/get";

    private static final ObjectMapper MAPPER = Json.mapper();

    private final String baseUrl;
    private final String appKey;
    private final Secret appSecret;
    private final long agentId;
    private final HttpClient http;
    private final Duration timeout;
    private final Throttle throttle;
    private final Throttle contactsThrottle;
    private final DingTalkEvents events;
    private final AccessTokens tokens;

    /**
     * @param refreshAhead  how long before expiry the token is refreshed (capped at half its lifetime)
     */
    public DingTalkClient(URI baseUrl, String appKey, Secret appSecret, long agentId, HttpClient http, Clock clock,
                          Duration timeout, Duration refreshAhead, Throttle throttle, DingTalkEvents events) {
        this(baseUrl, appKey, appSecret, agentId, http, clock, timeout, refreshAhead, throttle, Throttle.NONE, events);
    }

    /**
     * @param throttle          paces the message calls
     * @param contactsThrottle  paces the contacts calls, which DingTalk limits per API of their own
     */
    public DingTalkClient(URI baseUrl, String appKey, Secret appSecret, long agentId, HttpClient http, Clock clock,
                          Duration timeout, Duration refreshAhead, Throttle throttle, Throttle contactsThrottle,
                          DingTalkEvents events) {
        String b = baseUrl.toString();
        this.baseUrl = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.agentId = agentId;
        this.http = http;
        this.timeout = timeout;
        this.throttle = throttle;
        this.contactsThrottle = contactsThrottle;
        this.events = events;
        this.tokens = new AccessTokens(this::fetchToken, clock, refreshAhead, events);
    }

    private record Posted(Verdict verdict, JsonNode body, int requests) {
    }

    @Override
    public SendAnswer send(List<String> userIds, List<String> deptIds, JsonNode msg) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("agent_id", agentId);
        if (!userIds.isEmpty()) {
            body.put("userid_list", String.join(",", userIds));
        }
        if (!deptIds.isEmpty()) {
            body.put("dept_id_list", String.join(",", deptIds));
        }
        body.put("to_all_user", false);
        body.set("msg", msg);
        Posted p = postWithToken(SEND_PATH, body, throttle);
        if (!p.verdict().ok()) {
            return new SendAnswer(p.verdict(), null, 0, p.requests());
        }
        JsonNode taskId = p.body().get("task_id");
        return new SendAnswer(p.verdict(), taskId != null && taskId.canConvertToLong() ? taskId.asLong() : null, 1, p.requests());
    }

    /** Asks {@code getsendresult} about a task; the call counts toward the monthly quota. */
    public ResultCheck check(long taskId) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("agent_id", agentId);
        body.put("task_id", taskId);
        Posted p = postWithToken(RESULT_PATH, body, throttle);
        if (!p.verdict().ok()) {
            return new ResultCheck(p.verdict(), List.of(), List.of(), List.of(), Map.of(), List.of());
        }
        JsonNode r = p.body().path("send_result");
        Map<String, String> codes = new LinkedHashMap<>();
        for (JsonNode f : r.path("forbidden_list")) {
            codes.put(f.path("userid").asText(), f.path("code").asText());
        }
        List<String> forbidden = new ArrayList<>(texts(r.path("forbidden_user_id_list")));
        codes.keySet().stream().filter(u -> !forbidden.contains(u)).forEach(forbidden::add);
        List<String> reached = new ArrayList<>(texts(r.path("read_user_id_list")));
        reached.addAll(texts(r.path("unread_user_id_list")));
        return new ResultCheck(p.verdict(), texts(r.path("invalid_user_id_list")), List.copyOf(forbidden),
                texts(r.path("failed_user_id_list")), codes, List.copyOf(reached));
    }

    /** Asks the contacts API ({@code user/get}, free of the monthly quota) whether {@code userId} is a member. */
    public UserLookup lookUpUser(String userId) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("userid", userId);
        Posted p = postWithToken(USER_GET_PATH, body, contactsThrottle);
        Verdict v = p.verdict();
        if (v.ok()) {
            return new UserLookup(UserLookup.Found.MEMBER, v);
        }
        long code = v.errcode() == null ? 0 : v.errcode();
        if (code == 60121 || code == 33012 || code == 40003) {
            return new UserLookup(UserLookup.Found.NOT_FOUND, v);
        }
        return new UserLookup(UserLookup.Found.NO_ANSWER, v);
    }

    /**
     * A contacts API's classified answer, with its JSON body when it is a success.
     *
     * @param verdict  the classified answer (of {@code gettoken} when no token could be had)
     * @param body     the answer when {@code verdict} is ok, else null
     */
    public record ContactsAnswer(Verdict verdict, JsonNode body) {
    }

    /**
     * Calls a contacts API below {@code /topapi/v2/} (e.g. {@code user/getbymobile}, free of the
     * monthly quota) with the app's cached token, fetched anew once when DingTalk refuses it, paced
     * by the contacts throttle.
     */
    public ContactsAnswer contacts(String api, JsonNode body) {
        Posted p = postWithToken("/topapi/v2/" + api, body, contactsThrottle);
        return new ContactsAnswer(p.verdict(), p.body());
    }

    private Posted postWithToken(String path, JsonNode body, Throttle throttle) {
        String token;
        try {
            token = tokens.current();
        } catch (TokenException e) {
            return new Posted(e.verdict(), null, 0);
        }
        Posted first = post(path, token, body, throttle);
        if (first.verdict().errorClass() != ErrorClass.REFRESH_TOKEN) {
            return first;
        }
        try {
            token = tokens.replace(token);
        } catch (TokenException e) {
            return new Posted(e.verdict(), null, 1);
        }
        Posted second = post(path, token, body, throttle);
        return new Posted(second.verdict(), second.body(), 2);
    }

    @SuppressWarnings("try") // the permit is only closed
    private Posted post(String path, String token, JsonNode body, Throttle throttle) {
        URI uri = URI.create(baseUrl + path + "?access_token=" + enc(token));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        Verdict verdict;
        JsonNode json = null;
        long start;
        // the permit is held until the answer (or the failure) is in: the limiter counts from the call's end
        try (Throttle.Permit permit = throttle.acquire()) {
            start = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                verdict = Classifier.classify(response.statusCode(), response.body());
                if (verdict.ok()) {
                    json = MAPPER.readTree(response.body());
                }
            } catch (HttpTimeoutException e) {
                verdict = Verdict.noAnswer("TIMEOUT", "no answer within " + timeout.toMillis() + " ms");
            } catch (IOException e) {
                verdict = Verdict.noAnswer("IO_ERROR", "connection failed: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                verdict = Verdict.noAnswer("INTERRUPTED", "interrupted while waiting for DingTalk");
            }
        }
        events.call(path.substring(path.lastIndexOf('/') + 1), verdict, Duration.ofNanos(System.nanoTime() - start));
        return new Posted(verdict, json, 1);
    }

    private AccessTokens.Token fetchToken() {
        URI uri = URI.create(baseUrl + TOKEN_PATH + "?appkey=" + enc(appKey) + "&appsecret=" + enc(appSecret.reveal()));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Verdict verdict = Classifier.classify(response.statusCode(), response.body());
            if (!verdict.ok()) {
                long code = verdict.errcode() == null ? 0 : verdict.errcode();
                if (code == 40096 || code == 40089) {
                    verdict = new Verdict(false, ErrorClass.RETRY, Pause.CREDENTIALS_REFUSED, verdict.httpStatus(), code, null,
                            "CREDENTIALS_REFUSED", "DingTalk refused the app key or secret");
                }
                throw new TokenException(verdict);
            }
            JsonNode json = MAPPER.readTree(response.body());
            String token = json.path("access_token").asText(null);
            if (token == null || token.isBlank()) {
                throw new TokenException(Verdict.noAnswer("NO_TOKEN", "gettoken answered without access_token"));
            }
            return new AccessTokens.Token(token, Duration.ofSeconds(Math.max(1, json.path("expires_in").asLong(7200))));
        } catch (HttpTimeoutException e) {
            throw new TokenException(Verdict.noAnswer("TIMEOUT", "gettoken: no answer within " + timeout.toMillis() + " ms"));
        } catch (IOException e) {
            throw new TokenException(Verdict.noAnswer("IO_ERROR", "gettoken: connection failed: " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(Verdict.noAnswer("INTERRUPTED", "interrupted while fetching a token"));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
