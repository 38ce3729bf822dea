package io.kdpipe.extractor.kingdee;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.extractor.kingdee.KingdeeException.Kind;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kingdee WebAPI client for one site and account: logs in (or signs each call), keeps the session
 * cookies, logs in again once when the session is lost, and repeats only what can succeed later
 * ({@code MsgCode} 14, HTTP 429/5xx, timeouts) with exponential backoff.
 */
public final class KingdeeClient {

    private static final Logger log = LoggerFactory.getLogger(KingdeeClient.class);

    static final String VALIDATE_USER = "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser";
    static final String LOGIN_BY_APP_SECRET = "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginByAppSecret";
    static final String LOGIN_BY_SIGN = "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginBySign";
    static final String EXECUTE_BILL_QUERY = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KingdeeSite site;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryPolicy retry;
    private final ExtractorMetrics metrics;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private boolean loggedIn;

    public KingdeeClient(KingdeeSite site, RetryPolicy retry, ExtractorMetrics metrics) {
        this(site, HttpClient.newBuilder()
                        // some IIS front ends in front of Kingdee fail on HTTP/2
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build(),
                Clock.systemUTC(), Sleeper.SYSTEM, retry, metrics);
    }

    KingdeeClient(KingdeeSite site, HttpClient http, Clock clock, Sleeper sleeper, RetryPolicy retry, ExtractorMetrics metrics) {
        this.site = site;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.retry = retry;
        this.metrics = metrics;
    }

    public KingdeeSite site() {
        return site;
    }

    /**
     * Runs one {@code ExecuteBillQuery} page and returns its rows, each with one value per field key.
     *
     * @throws KingdeeException when Kingdee refuses the query or the login, or keeps failing
     */
    public synchronized List<JsonNode[]> executeBillQuery(BillQuery query) throws InterruptedException {
        String body = queryBody(query);
        int width = query.fieldKeys().size();
        return withRetry(() -> withSession(() -> post(EXECUTE_BILL_QUERY, body,
                (status, in) -> ResponseParser.queryRows("ExecuteBillQuery", status, in, width))));
    }

    /** Logs in now (a no-op in signature-header mode); refused logins throw {@link Kind#LOGIN_REFUSED}. */
    public synchronized void login() throws InterruptedException {
        withRetry(() -> {
            doLogin();
            return null;
        });
    }

    // ---------------------------------------------------------------- sessions and retries

    private interface Call<T> {
        T run() throws InterruptedException;
    }

    private <T> T withRetry(Call<T> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (KingdeeException e) {
                if (!e.retryable() || attempt >= retry.maxAttempts()) {
                    throw e;
                }
                Duration pause = retry.backoff(attempt);
                log.warn("{} (attempt {} of {}); trying again in {} ms", e.getMessage(), attempt, retry.maxAttempts(), pause.toMillis());
                sleeper.sleep(pause);
            }
        }
    }

    private <T> T withSession(Call<T> call) throws InterruptedException {
        if (!loggedIn) {
            doLogin();
        }
        try {
            return call.run();
        } catch (KingdeeException e) {
            if (e.kind() != Kind.SESSION_LOST) {
                throw e;
            }
            log.info("Kingdee session lost; logging in again and repeating the call once");
            loggedIn = false;
            cookies.clear();
            doLogin();
            try {
                return call.run();
            } catch (KingdeeException again) {
                if (again.kind() != Kind.SESSION_LOST) {
                    throw again;
                }
                loggedIn = false;
                cookies.clear();
                if (site.auth() instanceof KingdeeAuth.SignatureHeaders) {
                    throw new KingdeeException(Kind.LOGIN_REFUSED, again.service(), again.msgCode(), again.httpStatus(),
                            "Kingdee rejected the signature headers: check the AppID, AppSecret, user name and account id ("
                                    + again.getMessage() + ")");
                }
                throw new KingdeeException(Kind.TRANSIENT, again.service(), again.msgCode(), again.httpStatus(),
                        "Kingdee lost the session again right after a fresh login: " + again.getMessage());
            }
        }
    }

    private void doLogin() throws InterruptedException {
        KingdeeAuth auth = site.auth();
        if (auth instanceof KingdeeAuth.SignatureHeaders) {
            loggedIn = true; // every call carries its own signature
            return;
        }
        cookies.clear();
        ArrayNode params = JsonNodeFactory.instance.arrayNode();
        String service;
        String refusedHint;
        if (auth instanceof KingdeeAuth.Password p) {
            service = VALIDATE_USER;
            params.add(site.acctId()).add(site.username()).add(p.password().reveal()).add(site.lcid());
            refusedHint = "check KINGDEE_USERNAME and KINGDEE_PASSWORD";
        } else if (auth instanceof KingdeeAuth.AppSecret a) {
            service = LOGIN_BY_APP_SECRET;
            params.add(site.acctId()).add(site.username()).add(a.appId()).add(a.appSecret().reveal()).add(site.lcid());
            refusedHint = "check KINGDEE_APP_ID, KINGDEE_APP_SECRET and that the user may use the app";
        } else {
            KingdeeAuth.SignedLogin s = (KingdeeAuth.SignedLogin) auth;
            service = LOGIN_BY_SIGN;
            String ts = Long.toString(clock.instant().getEpochSecond());
            params.add(site.acctId()).add(site.username()).add(s.appId()).add(ts)
                    .add(Signatures.loginSign(site.acctId(), site.username(), s.appId(), s.appSecret().reveal(), ts)).add(site.lcid());
            refusedHint = "check KINGDEE_APP_ID, KINGDEE_APP_SECRET and KINGDEE_USERNAME";
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("parameters", params);
        String shortName = shortName(service);
        JsonNode result;
        String hint = refusedHint;
        try {
            // a refused login is an answer too: the call is counted as refused, not as ok
            result = postText(service, body.toString(), (status, text) -> accepted(ResponseParser.loginResult(shortName, status, text),
                    shortName, hint));
        } catch (KingdeeException e) {
            metrics.login(auth.mode(), e.kind() == Kind.LOGIN_REFUSED ? "refused" : "error");
            throw e;
        }
        String kdSession = result.path("KDSVCSessionId").asText("");
        if (!kdSession.isBlank() && !cookies.containsKey("kdservice-sessionid")) {
            cookies.put("kdservice-sessionid", kdSession);
        }
        loggedIn = true;
        metrics.login(auth.mode(), "ok");
        log.info("Logged in to Kingdee account {} as {} ({})", site.acctId(), site.username(), auth.mode());
    }

    /** The login result when Kingdee accepted the login; a refusal throws {@link Kind#LOGIN_REFUSED}. */
    private JsonNode accepted(JsonNode result, String shortName, String refusedHint) {
        KingdeeAuth auth = site.auth();
        Integer type = ResponseParser.integer(result.get("LoginResultType"));
        boolean apiSuccess = ResponseParser.bool(result.get("IsSuccessByAPI"));
        boolean ok = auth instanceof KingdeeAuth.Password
                ? type != null && (type == 1 || type == -5)
                : apiSuccess || (type != null && type == 1);
        if (!ok) {
            String message = result.path("Message").asText("");
            throw new KingdeeException(Kind.LOGIN_REFUSED, shortName, null, 200,
                    "Kingdee refused the " + auth.mode() + " login of user '" + site.username() + "' to account '" + site.acctId()
                            + "': " + loginCause(type, message) + " (" + refusedHint + ")");
        }
        return result;
    }

    private static String loginCause(Integer type, String message) {
        String m = message == null || message.isBlank() ? "" : ": " + message;
        if (type == null) {
            return "login failed" + m;
        }
        return switch (type) {
            case 0 -> "wrong user name or password" + m;
            case -2, -3 -> "the password policy requires a password change" + m;
            case -1 -> "login failed" + m;
            default -> "login result " + type + m;
        };
    }

    // ---------------------------------------------------------------- HTTP

    /** Reads an answer from its HTTP status and body. */
    private interface Reader<T> {
        T read(int status, InputStream body) throws IOException;
    }

    private <T> T postText(String service, String body, BiFunction<Integer, String, T> parser) throws InterruptedException {
        return post(service, body, (Reader<T>) (status, in) -> parser.apply(status, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }

    private <T> T post(String service, String body, Reader<T> reader) throws InterruptedException {
        URI url = site.serviceUrl(service);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(site.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!cookies.isEmpty()) {
            List<String> parts = new ArrayList<>();
            cookies.forEach((k, v) -> parts.add(k + "=" + v));
            request.header("Cookie", String.join("; ", parts));
            String kd = cookies.get("kdservice-sessionid");
            if (kd != null) {
                request.header("kdservice-sessionid", kd);
            }
        }
        if (site.auth() instanceof KingdeeAuth.SignatureHeaders s) {
            SignatureHeaders.compute(url.getRawPath(), s.appId(), s.appSecret().reveal(), site.acctId(), site.username(),
                    site.lcid(), s.orgNumber(), clock.instant().getEpochSecond()).headers().forEach(request::header);
        }
        String shortName = shortName(service);
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            HttpResponse<InputStream> response;
            try {
                // read as it arrives: a page's answer is megabytes, and is never held whole as text
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new KingdeeException(Kind.TRANSIENT, shortName, null, 0,
                        "Kingdee " + shortName + " did not answer within " + site.timeout().toSeconds() + " s", e);
            } catch (IOException e) {
                throw new KingdeeException(Kind.TRANSIENT, shortName, null, 0,
                        "Kingdee " + shortName + " could not be reached at " + site.baseUrl() + ": " + e, e);
            }
            response.headers().allValues("Set-Cookie").forEach(this::keepCookie);
            try (InputStream in = response.body()) {
                return reader.read(response.statusCode(), in);
            } catch (IOException e) {
                throw new KingdeeException(Kind.TRANSIENT, shortName, null, response.statusCode(),
                        "Kingdee " + shortName + "'s answer broke off: " + e, e);
            }
        } catch (KingdeeException e) {
            outcome = e.outcome();
            throw e;
        } finally {
            metrics.kingdeeCall(shortName, outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void keepCookie(String setCookie) {
        String first = setCookie.split(";", 2)[0];
        int eq = first.indexOf('=');
        if (eq > 0) {
            cookies.put(first.substring(0, eq).trim(), first.substring(eq + 1).trim());
        }
    }

    static String queryBody(BillQuery q) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("FormId", q.formId());
        data.put("FieldKeys", String.join(",", q.fieldKeys()));
        data.put("FilterString", q.filter());
        data.put("OrderString", q.order());
        data.put("TopRowCount", 0);
        data.put("StartRow", q.startRow());
        data.put("Limit", q.limit());
        data.put("SubSystemId", "");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("data", data);
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String shortName(String service) {
        return service.substring(service.lastIndexOf('.') + 1);
    }
}
