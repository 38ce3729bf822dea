package io.kdpipe.sandbox.kingdee;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kdpipe.common.runtime.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in Kingdee Cloud Galaxy site: a real HTTP server speaking the WebAPI wire protocol
 * ({@code POST {base}/{service}.common.kdsvc}) over a generated {@code BD_Customer} table.
 *
 * <ul>
 *   <li>Logins: {@code ValidateUser}, {@code LoginByAppSecret}, {@code LoginBySign}, and the SDK's
 *       per-request signature headers, which it verifies; sessions travel in the
 *       {@code kdservice-sessionid} / {@code ASP.NET_SessionId} cookies.</li>
 *   <li>{@code ExecuteBillQuery}: {@code FieldKeys}, {@code FilterString} (see
 *       {@link FilterExpression}), {@code OrderString}, {@code StartRow}/{@code Limit} paging and
 *       {@code TopRowCount} as a cap on the whole result; bank-account fields multiply rows.</li>
 *   <li>Errors in Kingdee's shapes: the double-wrapped object in an HTTP 200 body,
 *       {@code response_error:} bodies, a non-200 passport error for an unknown data centre.</li>
 *   <li>Fault injection per test through {@link #faults()}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(500))) {
 *     URI base = kingdee.baseUrl();          // http://localhost:PORT/k3cloud/
 *     kingdee.table().edit(100_001L);         // a change for the extractor to find
 * }
 * }</pre>
 */
public final class KingdeeSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KingdeeSandbox.class);
    private static final String SERVICE_SUFFIX = ".common.kdsvc";
    static final String SESSION_LOST = "会话信息已丢失，请重新登录";

    private final KingdeeSandboxOptions options;
    private final CustomerTable table;
    private final KingdeeFaults faults = new KingdeeFaults();
    private final QueryEngine engine;
    private final HttpEndpoint server;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final List<ActivitySimulator> simulators = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private static final class Session {
        final AtomicInteger served = new AtomicInteger();
        final String kdId;
        final String aspId;

        Session(String kdId, String aspId) {
            this.kdId = kdId;
            this.aspId = aspId;
        }
    }

    private KingdeeSandbox(KingdeeSandboxOptions options) {
        this.options = options;
        this.table = new CustomerTable(options);
        this.engine = new QueryEngine(table);
        this.server = HttpEndpoint.bindOrFail(new InetSocketAddress("localhost", options.port()), 64, "kingdee-sandbox", 0,
                "Kingdee sandbox cannot listen on port " + options.port())
                .route("/" + options.contextPath() + "/", this::handle);
    }

    /** Starts a sandbox; close it to stop. */
    public static KingdeeSandbox start(KingdeeSandboxOptions options) {
        KingdeeSandbox sandbox = new KingdeeSandbox(options);
        sandbox.server.start();
        log.info("Kingdee sandbox serves {} customers at {}", sandbox.table.size(), sandbox.baseUrl());
        return sandbox;
    }

    /** The site URL, e.g. {@code http://localhost:41234/k3cloud/}; services live below it. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + server.port() + "/" + options.contextPath() + "/");
    }

    public KingdeeSandboxOptions options() {
        return options;
    }

    /**
     * The settings that point an extractor at this sandbox, as the extractor reads them:
     * {@code KINGDEE_URL}, {@code KINGDEE_ACCT_ID}, {@code KINGDEE_USERNAME}, password sign-in with
     * {@code KINGDEE_PASSWORD}, and the sandbox's zone as {@code KINGDEE_ZONE}.
     */
    public Map<String, String> serviceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("KINGDEE_URL", baseUrl().toString());
        settings.put("KINGDEE_ACCT_ID", options.acctId());
        settings.put("KINGDEE_USERNAME", options.username());
        settings.put("KINGDEE_AUTH", "PASSWORD");
        settings.put("KINGDEE_PASSWORD", options.password());
        settings.put("KINGDEE_ZONE", options.zone().getId());
        return settings;
    }

    public CustomerTable table() {
        return table;
    }

    public KingdeeFaults faults() {
        return faults;
    }

    /** Calls answered so far for a service's short name, e.g. {@code ExecuteBillQuery}. */
    public long calls(String service) {
        AtomicLong c = calls.get(service);
        return c == null ? 0 : c.get();
    }

    /** Successful logins (any mode) so far, including sessions opened by signature headers. */
    /** {@code ExecuteBillQuery} answer rows served that carry only {@code FCUSTID} and {@code FModifyDate}. */
    public long keyRowsServed() {
        return engine.keyRowsServed.get();
    }

    /** {@code ExecuteBillQuery} answer rows served that carry any other field: what costs a real server. */
    public long fullRowsServed() {
        return engine.fullRowsServed.get();
    }

    /** Customers in {@code ExecuteBillQuery} answers with any field beyond the key and the date, each once per answer. */
    public long fullCustomersServed() {
        return engine.fullCustomersServed.get();
    }

    public int logins() {
        return logins.get();
    }

    /**
     * Starts people working: every {@code interval}, {@code changesPerInterval} saves (edits, new
     * customers, approvals, forbids, late commits). Stops when closed or when the sandbox closes.
     */
    public synchronized ActivitySimulator simulateActivity(Duration interval, int changesPerInterval) {
        ActivitySimulator sim = new ActivitySimulator(table, options.useOrgs(), interval, changesPerInterval, options.seed() + 1);
        simulators.add(sim);
        return sim;
    }

    /** Forgets every session, as a server restart or idle timeout would. */
    public void expireAllSessions() {
        sessions.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        simulators.forEach(ActivitySimulator::close);
        faults.releaseHung();
        server.close();
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (!"POST".equals(ex.getRequestMethod()) || !last.endsWith(SERVICE_SUFFIX)) {
                send(ex, 404, "text/html; charset=utf-8", "<html><body>404 - 找不到文件或目录。</body></html>");
                return;
            }
            String service = last.substring(0, last.length() - SERVICE_SUFFIX.length());
            String shortName = service.substring(service.lastIndexOf('.') + 1);
            calls.computeIfAbsent(shortName, k -> new AtomicLong()).incrementAndGet();
            JsonNode body;
            try (InputStream in = ex.getRequestBody()) {
                body = mapper.readTree(in.readAllBytes());
            } catch (IOException e) {
                send(ex, 500, "text/plain; charset=utf-8", responseError("请求数据不是有效的 JSON"));
                return;
            }
            switch (service) {
                case "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser" -> validateUser(ex, body);
                case "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginByAppSecret" -> loginByAppSecret(ex, body);
                case "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginBySign" -> loginBySign(ex, body);
                case "Kingdee.BOS.WebApi.ServicesStub.AuthService.Logout" -> logout(ex);
                case "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery" -> executeBillQuery(ex, body);
                default -> send(ex, 200, "application/json; charset=utf-8", responseError("未找到服务 " + service));
            }
        } catch (RuntimeException e) {
            log.warn("Kingdee sandbox failed to answer: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- logins

    private void validateUser(HttpExchange ex, JsonNode body) throws IOException {
        List<String> p = params(body, "acctID", "username", "password", "lcid");
        if (!checkAcct(ex, p.get(0))) {
            return;
        }
        if (!options.username().equals(p.get(1)) || !options.password().equals(p.get(2))) {
            loginResult(ex, 0, "用户名或密码错误！", false, null);
            return;
        }
        loginResult(ex, 1, null, true, openSession());
    }

    private void loginByAppSecret(HttpExchange ex, JsonNode body) throws IOException {
        List<String> p = params(body, "acctID", "username", "appId", "appSecret", "lcid");
        if (!checkAcct(ex, p.get(0))) {
            return;
        }
        if (!options.appId().equals(p.get(2)) || !options.appSecret().equals(p.get(3))) {
            loginResult(ex, -1, "第三方系统登录授权验证失败：应用ID或应用密钥不正确", false, null);
            return;
        }
        if (!options.username().equals(p.get(1))) {
            loginResult(ex, -1, "用户 " + p.get(1) + " 不存在或未授权", false, null);
            return;
        }
        loginResult(ex, 1, null, true, openSession());
    }

    private void loginBySign(HttpExchange ex, JsonNode body) throws IOException {
        List<String> p = params(body, "acctID", "username", "appId", "timestamp", "sign", "lcid");
        if (!checkAcct(ex, p.get(0))) {
            return;
        }
        String expected = SignatureCheck.loginSign(options.acctId(), options.username(), options.appId(), options.appSecret(), p.get(3));
        if (!options.username().equals(p.get(1)) || !options.appId().equals(p.get(2)) || !expected.equals(p.get(4))) {
            loginResult(ex, -1, "签名验证失败", false, null);
            return;
        }
        loginResult(ex, 1, null, true, openSession());
    }

    private void logout(HttpExchange ex) throws IOException {
        session(ex).ifPresent(s -> {
            sessions.remove(s.kdId);
            sessions.remove(s.aspId);
        });
        send(ex, 200, "application/json; charset=utf-8", "true");
    }

    private boolean checkAcct(HttpExchange ex, String acct) throws IOException {
        if (options.acctId().equals(acct)) {
            return true;
        }
        send(ex, 500, "text/plain; charset=utf-8",
                "Kingdee.BOS.ServiceFacade.KDServiceFx.KDServiceException: 获取数据中心 passport 失败，数据中心 '" + acct + "' 不存在");
        return false;
    }

    private Session openSession() {
        Session s = new Session(UUID.randomUUID().toString().replace("-", ""), UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        sessions.put(s.kdId, s);
        sessions.put(s.aspId, s);
        logins.incrementAndGet();
        return s;
    }

    private void loginResult(HttpExchange ex, int type, String message, boolean ok, Session s) throws IOException {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("Message", message);
        r.put("MessageCode", ok ? "CheckPasswordPolicy" : null);
        r.put("LoginResultType", type);
        if (s != null) {
            ObjectNode ctx = r.putObject("Context");
            ctx.put("UserLocale", "zh-CN");
            ctx.put("DBid", options.acctId());
            ctx.put("SessionId", s.aspId);
            ctx.put("UserId", 16394);
            ctx.put("UserName", options.username());
            r.put("KDSVCSessionId", s.kdId);
            setCookies(ex, s);
        } else {
            r.putNull("Context");
            r.putNull("KDSVCSessionId");
        }
        r.put("IsSuccessByAPI", ok);
        send(ex, 200, "application/json; charset=utf-8", mapper.writeValueAsString(r));
    }

    private static void setCookies(HttpExchange ex, Session s) {
        ex.getResponseHeaders().add("Set-Cookie", "kdservice-sessionid=" + s.kdId + "; path=/");
        ex.getResponseHeaders().add("Set-Cookie", "ASP.NET_SessionId=" + s.aspId + "; path=/; HttpOnly; SameSite=Lax");
    }

    private Optional<Session> session(HttpExchange ex) {
        List<String> ids = new ArrayList<>();
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && (kv[0].equals("kdservice-sessionid") || kv[0].equals("ASP.NET_SessionId"))) {
                    ids.add(kv[1]);
                }
            }
        }
        Optional.ofNullable(ex.getRequestHeaders().getFirst("kdservice-sessionid")).ifPresent(ids::add);
        return ids.stream().map(sessions::get).filter(Objects::nonNull).findFirst();
    }

    /** A session from cookies, or one opened by valid signature headers; empty when neither. */
    private Optional<Session> authenticate(HttpExchange ex) {
        if (ex.getRequestHeaders().getFirst("X-Api-Signature") != null) {
            if (!signatureValid(ex)) {
                return Optional.empty();
            }
            Optional<Session> existing = session(ex);
            if (existing.isPresent() && !spent(existing.get())) {
                return existing;
            }
            Session s = openSession();
            setCookies(ex, s);
            return Optional.of(s);
        }
        return session(ex).filter(s -> !spent(s));
    }

    private boolean spent(Session s) {
        int limit = faults.sessionCalls();
        if (limit > 0 && s.served.get() >= limit) {
            sessions.remove(s.kdId);
            sessions.remove(s.aspId);
            return true;
        }
        return false;
    }

    private boolean signatureValid(HttpExchange ex) {
        var h = ex.getRequestHeaders();
        String appKey = h.getFirst("X-Kd-Appkey");
        String appData = h.getFirst("X-Kd-Appdata");
        String nonce = h.getFirst("x-api-nonce");
        String timestamp = h.getFirst("x-api-timestamp");
        if (appKey == null || appData == null || nonce == null || timestamp == null || !options.appId().equals(appKey)) {
            return false;
        }
        String clientId = appKey.substring(0, Math.max(0, appKey.indexOf('_')));
        if (!clientId.equals(h.getFirst("X-Api-ClientID"))) {
            return false;
        }
        String expectedApi = SignatureCheck.apiSignature(ex.getRequestURI().getRawPath(), nonce, timestamp, appKey);
        String dataText;
        try {
            dataText = new String(Base64.getDecoder().decode(appData), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String expectedKd = SignatureCheck.kdSignature(appKey, dataText, options.appSecret());
        if (!expectedApi.equals(h.getFirst("X-Api-Signature")) || !expectedKd.equals(h.getFirst("X-Kd-Signature"))) {
            return false;
        }
        String[] data = dataText.split(",", -1);
        return data.length >= 2 && options.acctId().equals(data[0]) && options.username().equals(data[1]);
    }

    // ---------------------------------------------------------------- query

    private void executeBillQuery(HttpExchange ex, JsonNode body) throws IOException {
        long arrived = System.nanoTime();
        Optional<Session> session = authenticate(ex);
        if (session.isEmpty()) {
            sendError(ex, new KingdeeFaults.KingdeeError(1, 500, SESSION_LOST, false));
            return;
        }
        session.get().served.incrementAndGet();
        KingdeeFaults.Fault fault = faults.take();
        if (fault != null && !(fault instanceof KingdeeFaults.Delay)) {
            if (fault instanceof KingdeeFaults.Hang) {
                try {
                    faults.awaitRelease(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (closed) {
                    return;
                }
            } else {
                sendFault(ex, fault);
                return;
            }
        }
        Duration delay = fault instanceof KingdeeFaults.Delay d ? d.delay() : Duration.ZERO;
        QueryEngine.Answer answer = null;
        KingdeeFaults.KingdeeError refusal = null;
        JsonNode data = body.get("data");
        if (data == null && body.path("parameters").isArray() && body.path("parameters").size() > 0) {
            data = body.path("parameters").get(0);
        }
        try {
            if (data != null && data.isTextual()) {
                data = mapper.readTree(data.asText());
            }
            if (data == null || !data.isObject()) {
                refusal = new KingdeeFaults.KingdeeError(8, 500, "缺少查询参数 data", false);
            } else {
                answer = engine.answer(data);
            }
        } catch (IOException e) {
            refusal = new KingdeeFaults.KingdeeError(8, 500, "参数格式不正确", false);
        } catch (QueryEngine.QueryError e) {
            refusal = new KingdeeFaults.KingdeeError(e.msgCode, 500, e.getMessage(), false);
        }
        if (!awaitAnswerTime(arrived, delay)) {
            return;
        }
        if (refusal != null) {
            sendError(ex, refusal);
        } else {
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(200, answer.length());
            try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
                answer.writeTo(out);
            }
        }
    }

    /**
     * Waits until {@code delay} after {@code arrived} ({@code System.nanoTime()}): a delayed query is
     * answered that long after it arrived, the time the answer took to make included, as a Kingdee
     * that needs that long for a page answers it. False when interrupted.
     */
    private static boolean awaitAnswerTime(long arrived, Duration delay) {
        long remaining = delay.toNanos() - (System.nanoTime() - arrived);
        if (remaining <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(remaining);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---------------------------------------------------------------- answers

    private void sendFault(HttpExchange ex, KingdeeFaults.Fault fault) throws IOException {
        if (fault instanceof KingdeeFaults.KingdeeError e) {
            sendError(ex, e);
        } else if (fault instanceof KingdeeFaults.ResponseError e) {
            send(ex, e.httpStatus(), "text/plain; charset=utf-8", responseError(e.exceptionMessage()));
        } else if (fault instanceof KingdeeFaults.HttpAnswer a) {
            send(ex, a.httpStatus(), a.contentType(), a.body());
        } else {
            throw new IllegalStateException("unexpected fault " + fault);
        }
    }

    /** The real shape: HTTP 200, the error object wrapped in two arrays. */
    private void sendError(HttpExchange ex, KingdeeFaults.KingdeeError e) throws IOException {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("ErrorCode", e.errorCode());
        if (e.stringly()) {
            status.put("IsSuccess", "false");
        } else {
            status.put("IsSuccess", false);
        }
        ObjectNode err = status.putArray("Errors").addObject();
        err.putNull("FieldName");
        err.put("Message", e.message());
        err.put("DIndex", 0);
        status.putArray("SuccessEntitys");
        status.putArray("SuccessMessages");
        if (e.stringly()) {
            status.put("MsgCode", String.valueOf(e.msgCode()));
        } else {
            status.put("MsgCode", e.msgCode());
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putObject("Result").set("ResponseStatus", status);
        ArrayNode outer = JsonNodeFactory.instance.arrayNode();
        outer.addArray().add(result);
        send(ex, 200, "application/json; charset=utf-8", mapper.writeValueAsString(outer));
    }

    private String responseError(String message) {
        Map<String, Object> exception = new LinkedHashMap<>();
        exception.put("ClassName", "System.Exception");
        exception.put("Message", message);
        exception.put("Data", null);
        exception.put("InnerException", null);
        exception.put("StackTraceString", "   在 Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery(String data)");
        try {
            return "response_error:" + mapper.writeValueAsString(exception);
        } catch (IOException e) {
            return "response_error:" + message;
        }
    }

    private static List<String> params(JsonNode body, String... names) {
        List<String> out = new ArrayList<>();
        JsonNode p = body.path("parameters");
        for (int i = 0; i < names.length; i++) {
            JsonNode v = p.isArray() ? p.path(i) : body.path(names[i]);
            if (v.isMissingNode() && !p.isArray()) {
                // the named-object form is matched without regard to case
                for (var it = body.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (f.toLowerCase(Locale.ROOT).equals(names[i].toLowerCase(Locale.ROOT))) {
                        v = body.get(f);
                    }
                }
            }
            out.add(v.isMissingNode() || v.isNull() ? "" : v.asText());
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        HttpEndpoint.respond(ex, status, type, body);
    }
}
