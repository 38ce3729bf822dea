package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Json;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.Fault;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxStats;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import org.junit.jupiter.api.Test;

/** Faults count when they fire, not when they are scheduled; one that never fired fails the run. */
class FaultLogTest {

    @Test
    void aPlannedFaultThatNeverFiredFailsTheRun() {
        FaultLog all = new FaultLog(Map.of("DingTalk BUSY", 1, "broker kill -9", 1), Map.of("DingTalk BUSY", 1L, "broker kill -9", 1L));
        FaultLog missing = new FaultLog(Map.of("DingTalk BUSY", 1, "broker kill -9", 1), Map.of("DingTalk BUSY", 1L, "broker kill -9", 0L));

        assertThat(ConstructedReports.clean(all).failures()).isEmpty();
        ChaosReport report = ConstructedReports.clean(missing);
        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).containsExactly("fault broker kill -9 (planned 1×, never fired)");
        assertThat(report.toMarkdown()).contains("| broker kill -9 | 1 | 0 |");
    }

    @Test
    void dingTalkFaultsAreCountedFromTheJournalAndTheInjectedCount() {
        List<DingTalkSandbox.Call> journal = List.of(call("BUSY"), call("ok"), call("88/40014"), call("HTTP_5XX"), call("33012"));
        SandboxStats stats = new SandboxStats(5, 2, 0, 2, 1, 0, 0, 3);

        assertThat(FaultLog.dingTalkFired(journal, stats)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "DingTalk BUSY", 1L, "DingTalk HTTP_5XX", 1L, FaultLog.TOKEN_EXPIRED, 1L, "DingTalk HANG_AFTER_DELIVERY", 1L));
    }

    @Test
    void aScheduledDingTalkFaultCountsOnlyOnceACallMetIt() throws Exception {
        try (DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().user(SandboxUser.of("user-a", "甲", "13900000001")).build())) {
            sandbox.faults().hangFor(Duration.ZERO).next(Fault.BUSY, Fault.HANG_AFTER_DELIVERY, Fault.BAN_JSON);
            assertThat(FaultLog.dingTalkFired(sandbox.journal(), sandbox.stats())).as("scheduled, nothing called yet").isEmpty();

            HttpClient http = HttpClient.newHttpClient();
            String token = token(http, sandbox);
            send(http, sandbox, token, "第一条");
            send(http, sandbox, token, "第二条");

            assertThat(FaultLog.dingTalkFired(sandbox.journal(), sandbox.stats())).as("BAN_JSON is still queued")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("DingTalk BUSY", 1L, "DingTalk HANG_AFTER_DELIVERY", 1L));
        }
    }

    @Test
    void anInvalidatedTokenCountsOnceACallWithItIsRefused() throws Exception {
        try (DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder().user(SandboxUser.of("user-a", "甲", "13900000001")).build())) {
            HttpClient http = HttpClient.newHttpClient();
            String token = token(http, sandbox);
            send(http, sandbox, token, "一");
            sandbox.invalidateToken();
            assertThat(FaultLog.dingTalkFired(sandbox.journal(), sandbox.stats())).isEmpty();

            send(http, sandbox, token, "二");

            assertThat(FaultLog.dingTalkFired(sandbox.journal(), sandbox.stats())).containsExactlyEntriesOf(Map.of(FaultLog.TOKEN_EXPIRED, 1L));
        }
    }

    private static String token(HttpClient http, DingTalkSandbox sandbox) throws Exception {
        return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/gettoken?appkey="
                + sandbox.options().appKey() + "&appsecret=" + sandbox.options().appSecret())).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("access_token").asText();
    }

    private static void send(HttpClient http, DingTalkSandbox sandbox, String token, String text) throws Exception {
        String body = "{\"agent_id\":" + sandbox.options().agentId() + ",\"userid_list\":\"user-a\",\"msg\":{\"msgtype\":\"text\",\"text\":{\"content\":\"" + text + "\"}}}";
        http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/topapi/message/corpconversation/asyncsend_v2?access_token=" + token))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSessionLossCountsWhenAnAnswerSaidSoBeforeTheNextLoss() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Instant> losses = List.of(t0, t0.plusSeconds(10), t0.plusSeconds(20));
        List<Instant> answers = List.of(t0.minusSeconds(5), t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(25));

        assertThat(ChaosRun.sessionLossesNoticed(losses, answers)).isEqualTo(2);
        assertThat(ChaosRun.sessionLossesNoticed(losses, List.of())).isZero();
    }

    private static DingTalkSandbox.Call call(String outcome) {
        return new DingTalkSandbox.Call(Instant.EPOCH, "asyncsend_v2", outcome);
    }
}
