package io.kdpipe.sandbox.dingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.HttpEndpoint;

/**
 * A stand-in for DingTalk's open platform ({@code oapi}) work-notification APIs: a real HTTP server
 * speaking {@code gettoken}, {@code asyncsend_v2}, {@code getsendresult} and the contacts API
 * ({@code user/get}, {@code getbymobile}, {@code department/get}, {@code department/listsub}, free of
 * the monthly quota), with DingTalk's limits (rate, same-content-once-a-day, per-user daily cap,
 * monthly quota), an inbox per user and switchable {@link DingTalkFaults}.
 *
 * <p>As DingTalk does, a send to an unknown or departed userid is accepted ({@code errcode 0} with a
 * {@code task_id}) and reaches nobody; only {@code getsendresult} tells, and only once the task has
 * finished ({@link DingTalkSandboxOptions#resultDelay()}); until then its lists are empty. The synchronous
 * {@code 33012} answer is {@link DingTalkSandboxOptions.InvalidUsers#REFUSE_33012}.
 *
 * <p>It keeps a journal of every message call and how it was answered ({@link #journal()}), and a
 * record of every recipient of every accepted send, same-content repeats it suppressed included
 * ({@link #attempts()}), so a caller's duplicate sends are visible where the inbox hides them.
 *
 * <p>Besides the DingTalk endpoints it serves {@code GET /sandbox/inbox/{userid}} and
 * {@code GET /sandbox/stats} as JSON. Start it with {@link #start(DingTalkSandboxOptions)}; point a client
 * at {@link #baseUrl()}.
 */
public final class DingTalkSandbox implements AutoCloseable {

    static final String SEND_PATH = "/topapi/message/corpconversation/asyncsend_v2";
    static final String RESULT_PATH = "/topapi/message/corpconversation/getsendresult";
    static final String BY_MOBILE_PATH = "/topapi/v2/user/getbymobile";
    static final String USER_GET_PATH = "/topapi/v2/user/get";
    static final String DEPT_GET_PATH = "/topapi/v2/department/get";
    static final String DEPT_LISTSUB_PATH = "/topapi/v2/department/listsub";
    static final int MAX_USERIDS = 100;
    static final int MAX_MSG_BYTES = 2048;

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String BAN_PAGE = "<!DOCTYPE html><html><head><title>访问被拒绝</title></head>"
            + "<body><h1>您的访问过于频繁，请稍后再试</h1></body></html>";

    private final DingTalkSandboxOptions options;
    private final DingTalkFaults faults = new DingTalkFaults();
    private final Tokens tokens;
    private final Map<String, SandboxUser> usersById = new ConcurrentHashMap<>();
    private final Map<String, String> userIdByMobile = new ConcurrentHashMap<>();
    private final Map<Long, SandboxDepartment> departments = new ConcurrentHashMap<>();
    private final AtomicLong contactsCalls = new AtomicLong();
    private final Map<String, RateWindow> windows = new HashMap<>();
    private final HttpEndpoint server;

    // guarded by this
    private final Map<String, List<InboxMessage>> inboxes = new HashMap<>();
    private final Set<String> deliveredToday = new HashSet<>();
    private final Map<String, Integer> dailyCount = new HashMap<>();
    private final Map<Long, Task> taskResults = new HashMap<>();
    private final List<SendAttempt> attempts = new ArrayList<>();
    private LocalDate day;
    private YearMonth month;
    private long countedThisMonth;
    private long monthlyQuota;
    private long nextTaskId = 256_271_667_000L;

    private final List<Call> journal = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sendCalls = new AtomicLong();
    private final AtomicLong countedCalls = new AtomicLong();
    private final AtomicLong qpsViolations = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicReference<LongConsumer> onNextSendAnswered =
            new AtomicReference<>();
    private final AtomicLong overDailyCap = new AtomicLong();
    private final AtomicLong sendsSinceInvalidation = new AtomicLong();

    private DingTalkSandbox(DingTalkSandboxOptions options) throws IOException {
        this.options = options;
        this.tokens = new Tokens(options.clock(), options.tokenTtl());
        this.monthlyQuota = options.monthlyQuota();
        for (SandboxUser u : options.users()) {
            usersById.put(u.userId(), u);
            userIdByMobile.put(u.mobile(), u.userId());
        }
        options.departments().forEach(d -> departments.put(d.deptId(), d));
        this.server = HttpEndpoint.bind(new InetSocketAddress("127.0.0.1", options.port()), 0, "dingtalk-sandbox", 0)
                .route("/", this::handle);
    }

    /** Starts a sandbox listening on {@code 127.0.0.1}. */
    public static DingTalkSandbox start(DingTalkSandboxOptions options) {
        try {
            DingTalkSandbox sandbox = new DingTalkSandbox(options);
            sandbox.server.start();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("DingTalk sandbox cannot listen on port " + options.port(), e);
        }
    }

    /** The URL to use instead of {@code https://oapi.dingtalk.com}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public DingTalkSandboxOptions options() {
        return options;
    }

    /**
     * The settings that point a notifier (or {@code kdpipe directory}) at this sandbox, as the
     * service reads them: {@code DINGTALK_BASE_URL}, {@code DINGTALK_APP_KEY},
     * {@code DINGTALK_APP_SECRET} and {@code DINGTALK_AGENT_ID}.
     */
    public Map<String, String> serviceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("DINGTALK_BASE_URL", baseUrl().toString());
        settings.put("DINGTALK_APP_KEY", options.appKey());
        settings.put("DINGTALK_APP_SECRET", options.appSecret());
        settings.put("DINGTALK_AGENT_ID", String.valueOf(options.agentId()));
        return settings;
    }

    public DingTalkFaults faults() {
        return faults;
    }

    /** What {@code userId} has received, oldest first. */
    public synchronized List<InboxMessage> inbox(String userId) {
        return List.copyOf(inboxes.getOrDefault(userId, List.of()));
    }

    /** Every inbox that holds something, by userid. */
    public synchronized Map<String, List<InboxMessage>> inboxes() {
        Map<String, List<InboxMessage>> out = new LinkedHashMap<>();
        inboxes.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    /**
     * One message call as the sandbox answered it.
     *
     * @param at       when the request arrived
     * @param api      {@code asyncsend_v2} or {@code getsendresult}
     * @param outcome  {@code ok}, the errcode (and sub_code) it was refused with, or the injected fault
     */
    public record Call(Instant at, String api, String outcome) {
    }

    /** Every message call so far, and every contacts call refused for its token, in arrival order. */
    public List<Call> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    /**
     * One recipient of an {@code asyncsend_v2} DingTalk accepted ({@code errcode 0}), and what became
     * of it. DingTalk has no idempotency key and no notice id on the wire: a caller's repeat of one
     * message is known by its {@code msg}, which is kept as sent.
     *
     * @param at       when the send was taken
     * @param userId   the recipient
     * @param msg      the {@code msg} object as sent
     * @param taskId   the task id DingTalk answered
     * @param outcome  {@link #DELIVERED}, {@link #REPEAT} (same content to the same user that day, suppressed),
     *                 {@link #OVER_DAILY_CAP}, or {@link #NOT_A_MEMBER} (an unknown or departed userid)
     */
    public record SendAttempt(Instant at, String userId, JsonNode msg, long taskId, String outcome) {
        public static final String DELIVERED = "delivered";
        public static final String REPEAT = "143106";
        public static final String OVER_DAILY_CAP = "143105";
        public static final String NOT_A_MEMBER = "invalid";
    }

    /**
     * Every recipient of every accepted send so far, in arrival order, same-content repeats DingTalk
     * suppressed included. Calls refused as a whole (a fault, an errcode) are in {@link #journal()}.
     * It grows with every accepted send, as the inboxes do: a sandbox lives for one test or run.
     */
    public synchronized List<SendAttempt> attempts() {
        return List.copyOf(attempts);
    }

    /** {@code userId} leaves the organisation: the contacts API no longer finds them, and sends reach nobody. */
    public void depart(String userId) {
        usersById.computeIfPresent(userId, (k, u) -> u.leave());
    }

    /** Adds a person, or brings back one who left. */
    public void join(SandboxUser user) {
        usersById.put(user.userId(), user.rejoin());
        userIdByMobile.put(user.mobile(), user.userId());
    }

    /** Changes the organisation's monthly quota now, e.g. an upgrade after {@code 90020}. */
    public synchronized void monthlyQuota(long quota) {
        this.monthlyQuota = quota;
    }

    /** The person behind {@code userId}, departed ones included; null when unknown. */
    public SandboxUser user(String userId) {
        return usersById.get(userId);
    }

    /** Contacts API calls answered so far (none of them counted toward the monthly quota). */
    public long contactsCalls() {
        return contactsCalls.get();
    }

    /** Invalidates the current access token now: the next call with it is answered {@code 88}/{@code 40014}. */
    public void invalidateToken() {
        tokens.invalidate();
    }

    /** Every access token handed out so far, e.g. for a test that checks none of them leaked into logs. */
    public List<String> issuedTokens() {
        return tokens.all();
    }

    public SandboxStats stats() {
        return new SandboxStats(sendCalls.get(), countedCalls.get(), qpsViolations.get(), tokens.issued(), delivered.get(),
                duplicates.get(), overDailyCap.get(), faults.injected());
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI());
            switch (path) {
                case "/gettoken" -> getToken(ex, query);
                case SEND_PATH -> messageCall(ex, query, SEND_PATH, true);
                case RESULT_PATH -> messageCall(ex, query, RESULT_PATH, false);
                case BY_MOBILE_PATH, USER_GET_PATH, DEPT_GET_PATH, DEPT_LISTSUB_PATH -> contacts(ex, query, path);
                case "/sandbox/stats" -> json(ex, 200, MAPPER.valueToTree(stats()));
                default -> {
                    if (path.startsWith("/sandbox/inbox/")) {
                        inboxJson(ex, path.substring("/sandbox/inbox/".length()));
                    } else {
                        text(ex, 404, "text/plain; charset=utf-8", "not found");
                    }
                }
            }
        } catch (RuntimeException e) {
            text(ex, 500, "text/plain; charset=utf-8", "sandbox error: " + e);
        }
    }

    private void getToken(HttpExchange ex, Map<String, String> query) throws IOException {
        if (!options.appKey().equals(query.get("appkey")) || !options.appSecret().equals(query.get("appsecret"))) {
            json(ex, 200, error(40096, "不合法的appKey或appSecret"));
            return;
        }
        String token = tokens.issue();
        ObjectNode body = error(0, "ok");
        body.put("access_token", token);
        body.put("expires_in", tokens.expiresInSeconds());
        json(ex, 200, body);
    }

    private void messageCall(HttpExchange ex, Map<String, String> query, String api, boolean send) throws IOException {
        if (send) {
            sendCalls.incrementAndGet();
        }
        Instant arrived = options.clock().instant();
        String apiName = api.substring(api.lastIndexOf('/') + 1);
        byte[] requestBody = readBody(ex);
        Fault fault = faults.pick();
        if (fault != null && fault != Fault.HANG_AFTER_DELIVERY) {
            journal.add(new Call(arrived, apiName, fault.name()));
            answerFault(ex, fault);
            return;
        }
        if (!window(api).tryAdmit(System.nanoTime())) {
            qpsViolations.incrementAndGet();
            journal.add(new Call(arrived, apiName, "88/90018"));
            json(ex, 200, error88("90018", "请求的QPS超过了应用限制"));
            return;
        }
        String token = query.get("access_token");
        if (token == null || token.isBlank()) {
            json(ex, 200, error88("41001", "缺少access_token参数"));
            return;
        }
        if (!tokens.valid(token)) {
            journal.add(new Call(arrived, apiName, "88/40014"));
            json(ex, 200, error88("40014", "不合法的access_token"));
            return;
        }
        if (send) {
            long every = faults.invalidateTokenEveryCalls();
            if (every > 0 && sendsSinceInvalidation.incrementAndGet() % every == 0) {
                tokens.invalidate(); // this call is still served; the next one with this token is not
            }
        }
        JsonNode request;
        try {
            request = MAPPER.readTree(requestBody);
        } catch (IOException e) {
            json(ex, 200, error(40035, "不合法的参数: body is not JSON"));
            return;
        }
        if (request == null || !request.isObject()) {
            json(ex, 200, error(40035, "不合法的参数: body is not a JSON object"));
            return;
        }
        ObjectNode answer = send ? send(request) : sendResult(request);
        long code = answer.path("errcode").asLong();
        journal.add(new Call(arrived, apiName, code == 0 ? "ok" : String.valueOf(code)));
        if (fault == Fault.HANG_AFTER_DELIVERY) {
            pause();
        }
        json(ex, 200, answer);
        // after a hang the caller has given up on this answer: a hook now would not land while it holds one
        if (send && code == 0 && fault != Fault.HANG_AFTER_DELIVERY) {
            LongConsumer hook = onNextSendAnswered.getAndSet(null);
            if (hook != null) {
                hook.accept(answer.path("task_id").asLong());
            }
        }
    }

    /**
     * Runs {@code hook} once with the task id, right after the answer to the next {@code asyncsend_v2}
     * DingTalk accepts (errcode 0) has been written: the moment the caller has DingTalk's answer and
     * has not yet acted on it, e.g. to kill the caller between the answer and its ledger commit. A call
     * held back by {@link Fault#HANG_AFTER_DELIVERY} does not run it (its caller gave up waiting).
     * Replaces a hook that has not run yet.
     */
    public void onNextSendAnswered(LongConsumer hook) {
        onNextSendAnswered.set(Objects.requireNonNull(hook, "hook"));
    }

    private synchronized ObjectNode send(JsonNode request) {
        rollOver();
        if (!request.path("agent_id").canConvertToLong() || request.path("agent_id").asLong() != options.agentId()) {
            return error(40056, "不合法的agentid");
        }
        JsonNode msg = request.get("msg");
        if (msg == null || !msg.isObject()) {
            return error(40035, "不合法的参数: msg");
        }
        String msgtype = msg.path("msgtype").asText("");
        if (!Set.of("text", "markdown", "action_card", "link", "oa", "image", "file", "voice").contains(msgtype)
                || !msg.has(msgtype)) {
            return error(40008, "不合法的消息类型");
        }
        String content = msg.toString();
        if (content.getBytes(StandardCharsets.UTF_8).length > MAX_MSG_BYTES) {
            return error(45002, "消息体过长");
        }
        List<String> userIds = new ArrayList<>();
        for (String id : request.path("userid_list").asText("").split(",")) {
            if (!id.isBlank()) {
                userIds.add(id.trim());
            }
        }
        if (userIds.isEmpty()) {
            return error(40035, "不合法的参数: userid_list");
        }
        if (userIds.size() > MAX_USERIDS) {
            return error(41029, "超过最大接收人数");
        }
        Set<String> invalid = new LinkedHashSet<>();
        for (String id : userIds) {
            SandboxUser user = usersById.get(id);
            if (user == null || user.departed()) {
                if (options.invalidUsers() == DingTalkSandboxOptions.InvalidUsers.REFUSE_33012) {
                    return error(33012, "无效的USERID: " + id);
                }
                invalid.add(id);
                continue;
            }
            if (!user.inScope()) {
                return error88("60011", "应用没有权限给该用户发消息: " + id);
            }
        }
        if (countedThisMonth >= monthlyQuota) {
            return error(90020, "本月调用次数已达上限");
        }
        countedThisMonth++;
        countedCalls.incrementAndGet();
        long taskId = nextTaskId++;
        Instant now = options.clock().instant();
        ArrayNode forbidden = MAPPER.createArrayNode();
        ArrayNode read = MAPPER.createArrayNode();
        JsonNode sent = msg.deepCopy();
        for (String id : new LinkedHashSet<>(userIds)) {
            if (invalid.contains(id)) {
                attempts.add(new SendAttempt(now, id, sent, taskId, SendAttempt.NOT_A_MEMBER));
                continue;
            }
            if (!deliveredToday.add(id + "\u0000" + content)) {
                duplicates.incrementAndGet();
                forbidden.add(forbiddenEntry(id, 143106));
                attempts.add(new SendAttempt(now, id, sent, taskId, SendAttempt.REPEAT));
                continue;
            }
            int count = dailyCount.merge(id, 1, Integer::sum);
            if (count > options.perUserDailyCap()) {
                overDailyCap.incrementAndGet();
                forbidden.add(forbiddenEntry(id, 143105));
                attempts.add(new SendAttempt(now, id, sent, taskId, SendAttempt.OVER_DAILY_CAP));
                continue;
            }
            inboxes.computeIfAbsent(id, k -> new ArrayList<>()).add(new InboxMessage(taskId, sent, now));
            attempts.add(new SendAttempt(now, id, sent, taskId, SendAttempt.DELIVERED));
            delivered.incrementAndGet();
            read.add(id);
        }
        ObjectNode result = MAPPER.createObjectNode();
        ArrayNode invalidIds = MAPPER.createArrayNode();
        invalid.forEach(invalidIds::add);
        result.set("invalid_user_id_list", invalidIds);
        ArrayNode forbiddenIds = MAPPER.createArrayNode();
        forbidden.forEach(f -> forbiddenIds.add(f.get("userid").asText()));
        result.set("forbidden_user_id_list", forbiddenIds);
        result.set("failed_user_id_list", MAPPER.createArrayNode());
        result.set("read_user_id_list", MAPPER.createArrayNode());
        result.set("unread_user_id_list", read);
        result.set("invalid_dept_id_list", MAPPER.createArrayNode());
        result.set("forbidden_list", forbidden);
        taskResults.put(taskId, new Task(result, now.plus(options.resultDelay())));
        ObjectNode ok = error(0, "ok");
        ok.put("task_id", taskId);
        ok.put("request_id", Long.toHexString(taskId));
        return ok;
    }

    private synchronized ObjectNode sendResult(JsonNode request) {
        rollOver();
        if (request.path("agent_id").asLong() != options.agentId()) {
            return error(40056, "不合法的agentid");
        }
        Task task = taskResults.get(request.path("task_id").asLong());
        if (task == null) {
            return error(40035, "不合法的参数: task_id");
        }
        if (countedThisMonth >= monthlyQuota) {
            return error(90020, "本月调用次数已达上限");
        }
        countedThisMonth++;
        countedCalls.incrementAndGet();
        ObjectNode ok = error(0, "ok");
        ok.set("send_result", options.clock().instant().isBefore(task.readyAt()) ? unfinished() : task.result().deepCopy());
        return ok;
    }

    /** A task's result and when DingTalk has it filled in. */
    private record Task(ObjectNode result, Instant readyAt) {
    }

    private static ObjectNode unfinished() {
        ObjectNode r = MAPPER.createObjectNode();
        for (String list : List.of("invalid_user_id_list", "forbidden_user_id_list", "failed_user_id_list",
                "read_user_id_list", "unread_user_id_list", "invalid_dept_id_list", "forbidden_list")) {
            r.set(list, MAPPER.createArrayNode());
        }
        return r;
    }

    private void contacts(HttpExchange ex, Map<String, String> query, String path) throws IOException {
        JsonNode request;
        try {
            request = MAPPER.readTree(readBody(ex));
        } catch (IOException e) {
            request = null;
        }
        if (!window(path).tryAdmit(System.nanoTime())) {
            qpsViolations.incrementAndGet();
            json(ex, 200, error88("90018", "请求的QPS超过了应用限制"));
            return;
        }
        if (!tokens.valid(query.get("access_token"))) {
            // journalled too: an invalidated token is as likely to meet a contacts call as a send first
            journal.add(new Call(Instant.now(), path.substring(path.lastIndexOf('/') + 1), "88/40014"));
            json(ex, 200, error88("40014", "不合法的access_token"));
            return;
        }
        contactsCalls.incrementAndGet();
        if (request == null || !request.isObject()) {
            json(ex, 200, error(40035, "不合法的参数"));
            return;
        }
        json(ex, 200, switch (path) {
            case BY_MOBILE_PATH -> byMobile(request.path("mobile").asText(""));
            case USER_GET_PATH -> userGet(request.path("userid").asText(""));
            case DEPT_GET_PATH -> departmentGet(request.path("dept_id").asLong(-1));
            default -> departmentListSub(request.path("dept_id").asLong(1));
        });
    }

    private ObjectNode byMobile(String mobile) {
        String userId = userIdByMobile.get(mobile);
        SandboxUser user = userId == null ? null : usersById.get(userId);
        if (user == null || user.departed()) {
            return error(60121, "找不到该用户");
        }
        ObjectNode ok = error(0, "ok");
        ok.putObject("result").put("userid", userId);
        return ok;
    }

    private ObjectNode userGet(String userId) {
        SandboxUser user = usersById.get(userId);
        if (user == null || user.departed()) {
            return error(60121, "找不到该用户");
        }
        ObjectNode ok = error(0, "ok");
        ObjectNode r = ok.putObject("result");
        r.put("userid", user.userId());
        r.put("name", user.name());
        r.put("mobile", user.mobile());
        r.put("active", true);
        ArrayNode depts = r.putArray("dept_id_list");
        user.deptIds().forEach(depts::add);
        return ok;
    }

    private ObjectNode departmentGet(long deptId) {
        SandboxDepartment d = departments.get(deptId);
        if (d == null) {
            return error(60003, "部门不存在");
        }
        ObjectNode ok = error(0, "ok");
        ObjectNode r = ok.putObject("result");
        r.put("dept_id", d.deptId());
        r.put("name", d.name());
        if (d.parentId() != null) {
            r.put("parent_id", d.parentId());
        }
        ArrayNode managers = r.putArray("dept_manager_userid_list");
        d.managerUserIds().forEach(managers::add);
        return ok;
    }

    private ObjectNode departmentListSub(long parentId) {
        if (parentId != 1 && !departments.containsKey(parentId)) {
            return error(60003, "部门不存在");
        }
        ObjectNode ok = error(0, "ok");
        ArrayNode list = ok.putArray("result");
        departments.values().stream()
                .filter(d -> d.parentId() != null && d.parentId() == parentId)
                .sorted(Comparator.comparingLong(SandboxDepartment::deptId))
                .forEach(d -> list.addObject().put("dept_id", d.deptId()).put("name", d.name()).put("parent_id", parentId));
        return ok;
    }

    private void inboxJson(HttpExchange ex, String userId) throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("userid", userId);
        body.set("messages", MAPPER.valueToTree(inbox(URLDecoder.decode(userId, StandardCharsets.UTF_8))));
        json(ex, 200, body);
    }

    private void answerFault(HttpExchange ex, Fault fault) throws IOException {
        switch (fault) {
            case BUSY -> json(ex, 200, error(-1, "系统繁忙"));
            case HTTP_5XX -> text(ex, 503, "text/plain; charset=utf-8", "Service Temporarily Unavailable");
            case APP_RATE -> json(ex, 200, error88("90018", "请求的QPS超过了应用限制"));
            case GLOBAL_QPS -> json(ex, 200, error(90002, "服务器过载，请稍后再试"));
            case BAN_HTML -> text(ex, 200, "text/html; charset=utf-8", BAN_PAGE);
            case BAN_JSON -> text(ex, 200, "application/json; charset=utf-8", "{\"status\":1111,\"wait\":5,\"punish\":\"deny\"}");
            case HANG_BEFORE_DELIVERY -> {
                pause();
                json(ex, 200, error(-1, "系统繁忙"));
            }
            default -> throw new IllegalStateException("unexpected fault " + fault);
        }
    }

    private void pause() {
        try {
            Thread.sleep(faults.hang().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized RateWindow window(String api) {
        return windows.computeIfAbsent(api, k -> new RateWindow(options.qps()));
    }

    private void rollOver() {
        Instant now = options.clock().instant();
        LocalDate today = LocalDate.ofInstant(now, options.zone());
        if (!today.equals(day)) {
            day = today;
            deliveredToday.clear();
            dailyCount.clear();
        }
        YearMonth thisMonth = YearMonth.from(today);
        if (!thisMonth.equals(month)) {
            month = thisMonth;
            countedThisMonth = 0;
        }
    }

    private static ObjectNode forbiddenEntry(String userId, int code) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("code", String.valueOf(code));
        n.put("count", 1);
        n.put("userid", userId);
        return n;
    }

    private static ObjectNode error(long errcode, String errmsg) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("errcode", errcode);
        n.put("errmsg", errmsg);
        return n;
    }

    private static ObjectNode error88(String subCode, String subMsg) {
        ObjectNode n = error(88, "ding talk error[subcode=" + subCode + ",submsg=" + subMsg + "]");
        n.put("sub_code", subCode);
        n.put("sub_msg", subMsg);
        return n;
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        text(ex, status, "application/json; charset=utf-8", MAPPER.writeValueAsString(body));
    }

    private static void text(HttpExchange ex, int status, String type, String body) throws IOException {
        try {
            HttpEndpoint.respond(ex, status, type, body);
        } catch (IOException e) {
            // the client gave up waiting (a hang fault); nothing to answer
        }
    }
}
