package io.kdpipe.notifier.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.Json;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the DingTalk sandbox (a real HTTP server; no broker needed). */
class DingTalkClientTest {

    private DingTalkSandbox sandbox;
    private final AtomicInteger refreshes = new AtomicInteger();
    private final List<Verdict> verdicts = Collections.synchronizedList(new ArrayList<>());
    private final DingTalkEvents events = new DingTalkEvents() {
        @Override
        public void tokenRefreshed(boolean ok) {
            refreshes.incrementAndGet();
        }

        @Override
        public void call(String api, Verdict verdict, Duration latency) {
            verdicts.add(verdict);
        }
    };

    @BeforeEach
    void start() {
        // the synchronous 33012 answer for unknown userids; the DingTalk-like default is tested below
        sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5))
                .invalidUsers(DingTalkSandboxOptions.InvalidUsers.REFUSE_33012).resultDelay(Duration.ZERO)
                .user(new SandboxUser("outsider", "外部", "13900000000", false)).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private DingTalkClient client(String secret, Duration timeout) {
        return client(secret, timeout, Throttle.NONE);
    }

    private DingTalkClient client(String secret, Duration timeout, Throttle throttle) {
        return new DingTalkClient(sandbox.baseUrl(), sandbox.options().appKey(), new Secret(secret), sandbox.options().agentId(),
                HttpClient.newHttpClient(), Clock.systemUTC(), timeout, Duration.ofMinutes(5), throttle, events);
    }

    private static JsonNode text(String content) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "text");
        msg.putObject("text").put("content", content);
        return msg;
    }

    @Test
    void shouldSendAndReuseTheCachedToken() {
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5));
        SendAnswer a = client.send(List.of("user-0001", "user-0002"), List.of(), text("客户已审核"));
        SendAnswer b = client.send(List.of("user-0003"), List.of(), text("客户已审核"));
        assertThat(a.verdict().ok()).isTrue();
        assertThat(a.taskId()).isNotNull();
        assertThat(b.verdict().ok()).isTrue();
        assertThat(refreshes).hasValue(1);
        assertThat(sandbox.inbox("user-0001")).hasSize(1);
        assertThat(sandbox.inbox("user-0003")).hasSize(1);
    }

    @Test
    void shouldRefreshOnceAndRetryOnceAfterATokenError() {
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5));
        assertThat(client.send(List.of("user-0001"), List.of(), text("a")).verdict().ok()).isTrue();
        sandbox.invalidateToken();
        SendAnswer answer = client.send(List.of("user-0001"), List.of(), text("b"));
        assertThat(answer.verdict().ok()).isTrue();
        assertThat(answer.http()).isEqualTo(2);
        assertThat(refreshes).hasValue(2);
        assertThat(sandbox.inbox("user-0001")).hasSize(2);
    }

    @Test
    void shouldHoldAPermitForEachRequestUntilItsAnswerTheRetryAfterATokenRefreshIncluded() {
        List<Instant[]> permits = Collections.synchronizedList(new ArrayList<>());
        Throttle throttle = () -> {
            Instant[] span = {Instant.now(), null};
            permits.add(span);
            return () -> span[1] = Instant.now();
        };
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5), throttle);
        assertThat(client.send(List.of("user-0001"), List.of(), text("a")).verdict().ok()).isTrue();
        sandbox.invalidateToken();
        assertThat(client.send(List.of("user-0001"), List.of(), text("b")).http()).isEqualTo(2);

        List<DingTalkSandbox.Call> calls = sandbox.journal().stream().filter(c -> c.api().equals("asyncsend_v2")).toList();
        assertThat(calls).extracting(DingTalkSandbox.Call::outcome).containsExactly("ok", "88/40014", "ok");
        assertThat(permits).as("one permit per request, every one returned").hasSize(3).allMatch(p -> p[1] != null);
        for (int i = 0; i < 3; i++) {
            assertThat(calls.get(i).at()).as("request %d arrived while its permit was held", i)
                    .isBetween(permits.get(i)[0], permits.get(i)[1]);
        }
    }

    @Test
    void shouldRefreshOnlyOnceWhenManyCallersFindTheTokenInvalid() throws Exception {
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5));
        client.send(List.of("user-0001"), List.of(), text("warm-up"));
        sandbox.invalidateToken();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SendAnswer>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                go.await();
                return client.send(List.of("user-0002"), List.of(), text("m" + n));
            }));
        }
        go.countDown();
        for (Future<SendAnswer> f : futures) {
            assertThat(f.get().verdict().ok()).isTrue();
        }
        pool.shutdown();
        assertThat(refreshes).as("one refresh for the warm-up, one for the invalidation").hasValue(2);
    }

    @Test
    void shouldClassifyRefusalsAndFaults() {
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofMillis(300));
        assertThat(client.send(List.of("nobody"), List.of(), text("x")).verdict().reason()).isEqualTo("BAD_USERID");
        assertThat(client.send(List.of("outsider"), List.of(), text("x")).verdict().reason()).isEqualTo("NO_PERMISSION");
        assertThat(client.send(List.of("user-0001"), List.of(), text("长".repeat(700))).verdict().reason()).isEqualTo("TOO_LONG");
        sandbox.faults().hangFor(Duration.ofSeconds(2)).next(Fault.BUSY, Fault.HTTP_5XX, Fault.BAN_HTML, Fault.HANG_BEFORE_DELIVERY);
        assertThat(client.send(List.of("user-0001"), List.of(), text("x")).verdict().reason()).isEqualTo("BUSY");
        assertThat(client.send(List.of("user-0001"), List.of(), text("x")).verdict().reason()).isEqualTo("HTTP_5XX");
        assertThat(client.send(List.of("user-0001"), List.of(), text("x")).verdict().pause()).isEqualTo(Pause.IP_BAN);
        assertThat(client.send(List.of("user-0001"), List.of(), text("x")).verdict().reason()).isEqualTo("TIMEOUT");
        assertThat(sandbox.inboxes()).isEmpty();
    }

    @Test
    void shouldReportCredentialsRefusedWithoutTheSecret() {
        DingTalkClient client = client("wrong-secret-value", Duration.ofSeconds(5));
        SendAnswer answer = client.send(List.of("user-0001"), List.of(), text("x"));
        assertThat(answer.verdict().pause()).isEqualTo(Pause.CREDENTIALS_REFUSED);
        assertThat(answer.verdict().toString()).doesNotContain("wrong-secret-value");
    }

    @Test
    void shouldReportDuplicatesThroughGetSendResult() {
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5));
        client.send(List.of("user-0004"), List.of(), text("same"));
        SendAnswer again = client.send(List.of("user-0004"), List.of(), text("same"));
        ResultCheck check = client.check(again.taskId());
        assertThat(check.verdict().ok()).isTrue();
        assertThat(check.forbidden()).containsExactly("user-0004");
        assertThat(check.forbiddenCodes()).containsEntry("user-0004", "143106");
        assertThat(sandbox.inbox("user-0004")).hasSize(1);
    }

    @Test
    void shouldSeeUnknownUsersOnlyInTheResultWhenDingTalkAcceptsThem() {
        sandbox.close();
        sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().users(DingTalkSandboxOptions.numberedUsers(5))
                .resultDelay(Duration.ZERO).build());
        DingTalkClient client = client(sandbox.options().appSecret(), Duration.ofSeconds(5));
        SendAnswer answer = client.send(List.of("user-0001", "nobody"), List.of(), text("x"));
        assertThat(answer.verdict().ok()).as("accepted, as DingTalk does").isTrue();
        ResultCheck check = client.check(answer.taskId());
        assertThat(check.invalid()).containsExactly("nobody");
        assertThat(check.reached()).containsExactly("user-0001");
        assertThat(client.lookUpUser("user-0001").found()).isEqualTo(UserLookup.Found.MEMBER);
        assertThat(client.lookUpUser("nobody").found()).isEqualTo(UserLookup.Found.NOT_FOUND);
        sandbox.depart("user-0002");
        assertThat(client.lookUpUser("user-0002").found()).isEqualTo(UserLookup.Found.NOT_FOUND);
        assertThat(sandbox.stats().countedCalls()).as("contacts lookups are free").isEqualTo(2);
    }
}
