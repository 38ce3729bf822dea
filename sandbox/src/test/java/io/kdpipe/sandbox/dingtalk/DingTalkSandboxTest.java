package io.kdpipe.sandbox.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;
import io.kdpipe.testkit.ManualClock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DingTalkSandboxTest {

    private static final ObjectMapper MAPPER = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private DingTalkSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private DingTalkSandbox start(DingTalkSandboxOptions.Builder b) {
        sandbox = DingTalkSandbox.start(b.users(DingTalkSandboxOptions.numberedUsers(150))
                .user(new SandboxUser("outsider", "外部", "13900000000", false)).build());
        return sandbox;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sandbox.baseUrl().resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String token, JsonNode body) throws IOException, InterruptedException {
        URI uri = sandbox.baseUrl().resolve(path + "?access_token=" + token);
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String token, String userIds, String text) throws IOException, InterruptedException {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("agent_id", sandbox.options().agentId());
        body.put("userid_list", userIds);
        ObjectNode msg = body.putObject("msg");
        msg.put("msgtype", "text");
        msg.putObject("text").put("content", text);
        return MAPPER.readTree(post(DingTalkSandbox.SEND_PATH, token, body).body());
    }

    private String token() throws IOException, InterruptedException {
        return get("/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret").get("access_token").asText();
    }

    @Test
    void shouldHandOutTheSameTokenWhileValidAndRefuseBadCredentials() throws Exception {
        start(DingTalkSandboxOptions.builder());
        assertThat(token()).isEqualTo(token());
        assertThat(get("/gettoken?appkey=sandbox-app-key&appsecret=wrong").get("errcode").asInt()).isEqualTo(40096);
        String old = token();
        sandbox.invalidateToken();
        assertThat(send(old, "user-0001", "x").get("sub_code").asText()).isEqualTo("40014");
        assertThat(token()).isNotEqualTo(old);
    }

    @Test
    void shouldDeliverOnceADayAndFlagLaterCopies() throws Exception {
        start(DingTalkSandboxOptions.builder().resultDelay(Duration.ZERO));
        String token = token();
        JsonNode first = send(token, "user-0001,user-0002", "客户 A 已审核");
        JsonNode second = send(token, "user-0001", "客户 A 已审核");
        assertThat(first.get("errcode").asInt()).isZero();
        assertThat(second.get("errcode").asInt()).as("a copy is accepted").isZero();
        assertThat(sandbox.inbox("user-0001")).hasSize(1);
        assertThat(sandbox.inbox("user-0002")).hasSize(1);

        ObjectNode q = MAPPER.createObjectNode().put("agent_id", sandbox.options().agentId()).put("task_id", second.get("task_id").asLong());
        JsonNode result = MAPPER.readTree(post(DingTalkSandbox.RESULT_PATH, token, q).body());
        assertThat(result.at("/send_result/forbidden_list/0/code").asText()).isEqualTo("143106");
        assertThat(get("/sandbox/inbox/user-0001").get("messages")).hasSize(1);
        assertThat(sandbox.stats().duplicates()).isEqualTo(1);
        JsonNode stats = get("/sandbox/stats");
        assertThat(stats.get("delivered").asLong()).isEqualTo(2);
        assertThat(stats.get("countedCalls").asLong()).as("two sends and one getsendresult").isEqualTo(3);
        assertThat(sandbox.journal()).extracting(DingTalkSandbox.Call::outcome).containsExactly("ok", "ok", "ok");
    }

    @Test
    void shouldRunTheAnswerHookOnceAfterTheNextAcceptedSendHasBeenAnswered() throws Exception {
        start(DingTalkSandboxOptions.builder());
        String token = token();
        AtomicInteger runs = new AtomicInteger();
        AtomicLong deliveredAtHook = new AtomicLong(-1);
        AtomicLong taskAtHook = new AtomicLong(-1);
        sandbox.onNextSendAnswered(taskId -> {
            runs.incrementAndGet();
            taskAtHook.set(taskId);
            deliveredAtHook.set(sandbox.stats().delivered());
        });
        assertThat(send(token, "user-0001", "长".repeat(700)).get("errcode").asInt()).as("refused").isEqualTo(45002);
        assertThat(runs).as("not after a refused send").hasValue(0);
        JsonNode first = send(token, "user-0001", "客户 B 已审核");
        assertThat(first.get("errcode").asInt()).isZero();
        assertThat(send(token, "user-0002", "客户 B 已审核").get("errcode").asInt()).isZero();
        await5(() -> deliveredAtHook.get() != -1);
        assertThat(runs).as("once, after the first accepted send").hasValue(1);
        assertThat(taskAtHook).as("with the task id of that send").hasValue(first.get("task_id").asLong());
        assertThat(deliveredAtHook).as("the hook ran after that send was delivered").hasValue(1);
    }

    @Test
    void shouldNotRunTheAnswerHookOnACallHeldBackAfterDelivery() throws Exception {
        start(DingTalkSandboxOptions.builder());
        String token = token();
        sandbox.faults().hangFor(Duration.ofMillis(50));
        AtomicInteger runs = new AtomicInteger();
        sandbox.onNextSendAnswered(taskId -> runs.incrementAndGet());
        sandbox.faults().next(Fault.HANG_AFTER_DELIVERY);
        assertThat(send(token, "user-0001", "客户 C 已审核").get("errcode").asInt()).isZero();
        assertThat(runs).as("its caller had given up on that answer").hasValue(0);
        assertThat(send(token, "user-0001", "客户 D 已审核").get("errcode").asInt()).isZero();
        // the hook runs on the sandbox's thread once the answer is written, so possibly after the caller read it
        await5(() -> runs.get() == 1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldRecordEveryRecipientOfEveryAcceptedSendIncludingSuppressedRepeats() throws Exception {
        start(DingTalkSandboxOptions.builder());
        String token = token();
        JsonNode first = send(token, "user-0001,user-0002,nobody", "客户 E 已审核");
        JsonNode again = send(token, "user-0001", "客户 E 已审核");
        assertThat(send(token, "user-0001", "长".repeat(700)).get("errcode").asInt()).as("refused as a whole").isEqualTo(45002);

        assertThat(sandbox.attempts()).extracting(DingTalkSandbox.SendAttempt::userId, DingTalkSandbox.SendAttempt::taskId,
                        DingTalkSandbox.SendAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user-0001", first.get("task_id").asLong(), DingTalkSandbox.SendAttempt.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple("user-0002", first.get("task_id").asLong(), DingTalkSandbox.SendAttempt.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple("nobody", first.get("task_id").asLong(), DingTalkSandbox.SendAttempt.NOT_A_MEMBER),
                        org.assertj.core.groups.Tuple.tuple("user-0001", again.get("task_id").asLong(), DingTalkSandbox.SendAttempt.REPEAT));
        assertThat(sandbox.attempts()).extracting(a -> a.msg().path("text").path("content").asText()).containsOnly("客户 E 已审核");
        assertThat(sandbox.inbox("user-0001")).hasSize(1);
    }

    @Test
    void shouldRefuseInvalidSends() throws Exception {
        start(DingTalkSandboxOptions.builder().invalidUsers(DingTalkSandboxOptions.InvalidUsers.REFUSE_33012));
        String token = token();
        String tooMany = IntStream.rangeClosed(1, 101).mapToObj(i -> String.format("user-%04d", i)).collect(Collectors.joining(","));
        assertThat(send(token, tooMany, "x").get("errcode").asInt()).isEqualTo(41029);
        assertThat(send(token, "nobody", "x").get("errcode").asInt()).isEqualTo(33012);
        assertThat(send(token, "user-0001", "长".repeat(700)).get("errcode").asInt()).isEqualTo(45002);
        JsonNode outsider = send(token, "outsider", "x");
        assertThat(outsider.get("errcode").asInt()).isEqualTo(88);
        assertThat(outsider.get("sub_code").asText()).isEqualTo("60011");
        ObjectNode badAgent = MAPPER.createObjectNode().put("agent_id", 1).put("userid_list", "user-0001");
        badAgent.putObject("msg").put("msgtype", "text").putObject("text").put("content", "x");
        assertThat(MAPPER.readTree(post(DingTalkSandbox.SEND_PATH, token, badAgent).body()).get("errcode").asInt()).isEqualTo(40056);
        assertThat(sandbox.inboxes()).isEmpty();
    }

    @Test
    void shouldAcceptUnknownAndDepartedUsersAndReportThemOnlyOnceTheTaskHasFinished() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-28T02:00:00Z"));
        start(DingTalkSandboxOptions.builder().clock(clock).resultDelay(Duration.ofSeconds(60)));
        sandbox.depart("user-0002");
        String token = token();
        JsonNode sent = send(token, "user-0001,user-0002,ghost", "客户 B 已审核");
        assertThat(sent.get("errcode").asInt()).as("accepted as DingTalk does").isZero();
        assertThat(sandbox.inbox("user-0001")).hasSize(1);
        assertThat(sandbox.inbox("user-0002")).isEmpty();

        ObjectNode q = MAPPER.createObjectNode().put("agent_id", sandbox.options().agentId()).put("task_id", sent.get("task_id").asLong());
        JsonNode early = MAPPER.readTree(post(DingTalkSandbox.RESULT_PATH, token, q).body());
        assertThat(early.at("/send_result/invalid_user_id_list")).as("not filled in yet").isEmpty();
        assertThat(early.at("/send_result/unread_user_id_list")).isEmpty();

        clock.advance(Duration.ofSeconds(61));
        JsonNode late = MAPPER.readTree(post(DingTalkSandbox.RESULT_PATH, token, q).body());
        assertThat(late.at("/send_result/invalid_user_id_list")).extracting(JsonNode::asText).containsExactly("user-0002", "ghost");
        assertThat(late.at("/send_result/unread_user_id_list")).extracting(JsonNode::asText).containsExactly("user-0001");
        assertThat(sandbox.stats().countedCalls()).as("one send, two result checks").isEqualTo(3);
    }

    @Test
    void shouldAnswerTheContactsApiForFreeAndNotFindDepartedPeople() throws Exception {
        sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                .user(SandboxUser.of("zhangwei", "张伟", "13800000001").inDepartments(List.of(301L)))
                .user(SandboxUser.of("lisi", "李四", "13800000002"))
                .department(new SandboxDepartment(300, "销售部", 1L, List.of("lisi")))
                .department(new SandboxDepartment(301, "华东销售", 300L, List.of("zhangwei")))
                .monthlyQuota(1).build());
        String token = token();
        JsonNode user = MAPPER.readTree(post(DingTalkSandbox.USER_GET_PATH, token, MAPPER.createObjectNode().put("userid", "zhangwei")).body());
        assertThat(user.at("/result/name").asText()).isEqualTo("张伟");
        assertThat(user.at("/result/dept_id_list/0").asLong()).isEqualTo(301);
        sandbox.depart("zhangwei");
        assertThat(MAPPER.readTree(post(DingTalkSandbox.USER_GET_PATH, token, MAPPER.createObjectNode().put("userid", "zhangwei")).body())
                .get("errcode").asInt()).isEqualTo(60121);
        assertThat(MAPPER.readTree(post(DingTalkSandbox.BY_MOBILE_PATH, token, MAPPER.createObjectNode().put("mobile", "13800000001")).body())
                .get("errcode").asInt()).isEqualTo(60121);
        JsonNode dept = MAPPER.readTree(post(DingTalkSandbox.DEPT_GET_PATH, token, MAPPER.createObjectNode().put("dept_id", 301)).body());
        assertThat(dept.at("/result/name").asText()).isEqualTo("华东销售");
        assertThat(dept.at("/result/dept_manager_userid_list/0").asText()).isEqualTo("zhangwei");
        JsonNode subs = MAPPER.readTree(post(DingTalkSandbox.DEPT_LISTSUB_PATH, token, MAPPER.createObjectNode().put("dept_id", 300)).body());
        assertThat(subs.get("result")).extracting(n -> n.get("name").asText()).containsExactly("华东销售");
        sandbox.join(SandboxUser.of("zhangwei", "张伟", "13800000001"));
        assertThat(MAPPER.readTree(post(DingTalkSandbox.USER_GET_PATH, token, MAPPER.createObjectNode().put("userid", "zhangwei")).body())
                .get("errcode").asInt()).isZero();
        assertThat(sandbox.contactsCalls()).isEqualTo(6);
        assertThat(sandbox.stats().countedCalls()).as("contacts calls are free").isZero();
    }

    @Test
    void shouldCountQpsViolationsAndEnforceCapAndQuota() throws Exception {
        start(DingTalkSandboxOptions.builder().qps(5).perUserDailyCap(2).monthlyQuota(4));
        String token = token();
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            JsonNode r = send(token, "user-0003", "m" + i);
            if (r.get("errcode").asInt() == 88) {
                assertThat(r.get("sub_code").asText()).isEqualTo("90018");
                refused++;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(3);
        assertThat(sandbox.stats().qpsViolations()).isEqualTo(refused);
        assertThat(sandbox.inbox("user-0003")).as("daily cap").hasSize(2);
        await5(() -> send(token, "user-0004", "late").get("errcode").asInt() == 90020);
    }

    private static void await5(Callable<Boolean> c) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(c);
    }

    @Test
    void shouldInjectFaultsAndResolveMobiles() throws Exception {
        start(DingTalkSandboxOptions.builder());
        String token = token();
        sandbox.faults().next(Fault.BUSY, Fault.HTTP_5XX, Fault.BAN_HTML, Fault.GLOBAL_QPS);
        assertThat(send(token, "user-0001", "x").get("errcode").asInt()).isEqualTo(-1);
        ObjectNode body = MAPPER.createObjectNode().put("agent_id", sandbox.options().agentId());
        assertThat(post(DingTalkSandbox.SEND_PATH, token, body).statusCode()).isEqualTo(503);
        assertThat(post(DingTalkSandbox.SEND_PATH, token, body).body()).startsWith("<!DOCTYPE html>");
        assertThat(send(token, "user-0001", "x").get("errcode").asInt()).isEqualTo(90002);
        assertThat(sandbox.inboxes()).isEmpty();

        sandbox.faults().invalidateTokenEvery(2);
        assertThat(send(token, "user-0001", "a").get("errcode").asInt()).isZero();
        assertThat(send(token, "user-0001", "b").get("errcode").asInt()).isZero();
        assertThat(send(token, "user-0001", "c").get("sub_code").asText()).isEqualTo("40014");

        String fresh = token();
        JsonNode found = MAPPER.readTree(post(DingTalkSandbox.BY_MOBILE_PATH, fresh, MAPPER.createObjectNode().put("mobile", "13800000007")).body());
        assertThat(found.at("/result/userid").asText()).isEqualTo("user-0007");
        JsonNode missing = MAPPER.readTree(post(DingTalkSandbox.BY_MOBILE_PATH, fresh, MAPPER.createObjectNode().put("mobile", "1")).body());
        assertThat(missing.get("errcode").asInt()).isEqualTo(60121);
    }
}
