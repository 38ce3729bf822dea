package io.kdpipe.sandbox.kingdee;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KingdeeSandboxTest {

    private static final String QUERY = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(120));
    private final HttpClient http = HttpClient.newHttpClient();
    private String cookie;

    @AfterEach
    void stop() {
        kingdee.close();
    }

    @Test
    void shouldMatchTheDocumentedSignatureVectors() {
        String path = "/K3Cloud/" + QUERY + ".common.kdsvc";
        String appId = "123456_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4";
        assertThat(SignatureCheck.apiKey(appId)).isEqualTo("UVJWUANVXl8KXFlfWV1YSBNCShcUQRNL");
        assertThat(SignatureCheck.apiSignature(path, "1700000000", "1700000000", appId))
                .isEqualTo("MjNhMzg5MmZiMWE1MTQ1ZGE5NWFkYmZiZWYxYzhlY2NjNzcwM2ZjNDJlZTczMzBhNzkxOTk1ODhjNDZkMTEzYw==");
        assertThat(SignatureCheck.kdSignature(appId, "dcid-1,user-1,2052,100", "test-app-secret-value"))
                .isEqualTo("NjI5MzRiZGVhNGJhOWY2N2Y2YzQ2MzQ5ODA3N2JiZTRiMDRmOTUwNjI3YWIzODU1ODBkZDdhNzgwMzdmMDgxMg==");
        assertThat(SignatureCheck.loginSign("dcid-1", "user-1", appId, "test-app-secret-value", "1700000000"))
                .isEqualTo("ca8f46720929abb92e54aab9dc72e409d45024c1c5ce71ea8e4f2bd71822ea79");
    }

    @Test
    void shouldSetSessionCookiesOnLoginAndRefuseQueriesWithoutThem() throws Exception {
        JsonNode lost = query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID"));
        assertThat(errorOf(lost).path("MsgCode").asInt()).isEqualTo(1);
        assertThat(errorOf(lost).path("Errors").get(0).path("Message").asText()).isEqualTo("会话信息已丢失，请重新登录");

        JsonNode result = login(kingdee.options().password());
        assertThat(result.path("LoginResultType").asInt()).isEqualTo(1);
        assertThat(cookie).contains("kdservice-sessionid=").contains("ASP.NET_SessionId=");
        assertThat(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID"))).hasSize(120);
    }

    @Test
    void shouldRefuseAWrongPasswordAndAnUnknownDataCentre() throws Exception {
        assertThat(login("nope").path("LoginResultType").asInt()).isZero();
        HttpResponse<String> r = post("Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser",
                "{\"parameters\":[\"unknown-dc\",\"kdpipe\",\"x\",2052]}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("passport");
    }

    @Test
    void shouldFilterOrderAndPageLikeKingdee() throws Exception {
        login(kingdee.options().password());
        List<SandboxCustomer> all = kingdee.table().all("101");
        LocalDateTime from = all.get(10).modifyDate();
        LocalDateTime to = all.get(30).modifyDate();
        String filter = "FModifyDate >= '" + from.toString().replace('T', ' ') + "' AND FModifyDate < '" + to.toString().replace('T', ' ')
                + "' AND FUseOrgId.FNumber = '101'";
        List<Long> expected = all.stream().filter(c -> !c.modifyDate().isBefore(from) && c.modifyDate().isBefore(to))
                .sorted((a, b) -> Long.compare(b.id(), a.id())).map(SandboxCustomer::id).toList();

        List<Long> paged = new ArrayList<>();
        for (int start = 0; ; start += 7) {
            JsonNode page = query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID,FUseOrgId.FNumber", "FilterString", filter,
                    "OrderString", "FCUSTID DESC", "StartRow", start, "Limit", 7));
            page.forEach(row -> paged.add(row.get(0).asLong()));
            if (page.size() < 7) {
                break;
            }
        }
        assertThat(paged).isEqualTo(expected).hasSizeGreaterThan(7);
    }

    @Test
    void shouldCapTheWholeResultWithTopRowCount() throws Exception {
        login(kingdee.options().password());
        assertThat(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "TopRowCount", 10, "StartRow", 0, "Limit", 8))).hasSize(8);
        assertThat(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "TopRowCount", 10, "StartRow", 8, "Limit", 8))).hasSize(2);
        assertThat(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "TopRowCount", 10, "StartRow", 16, "Limit", 8))).isEmpty();
    }

    @Test
    void shouldAnswerBadFieldsFormsAndFiltersWithTheDoubleWrappedError() throws Exception {
        login(kingdee.options().password());
        JsonNode field = query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID,FNope"));
        assertThat(field.isArray() && field.get(0).isArray() && field.get(0).get(0).isObject()).isTrue();
        assertThat(errorOf(field).path("MsgCode").asInt()).isEqualTo(9);
        assertThat(errorOf(field).path("IsSuccess").asBoolean(true)).isFalse();
        assertThat(errorOf(query(Map.of("FormId", "BD_Nope", "FieldKeys", "FCUSTID"))).path("MsgCode").asInt()).isEqualTo(4);
        assertThat(errorOf(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "FilterString", "FModifyDate >>= 1")))
                .path("MsgCode").asInt()).isEqualTo(4);
    }

    @Test
    void shouldMultiplyRowsByBankAccounts() throws Exception {
        login(kingdee.options().password());
        int lines = kingdee.table().all().stream().mapToInt(c -> Math.max(1, c.bankAccounts().size())).sum();
        assertThat(query(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID,FBANKCODE"))).hasSize(lines);
    }

    @Test
    void shouldExpireSessionsAfterTheConfiguredNumberOfCalls() throws Exception {
        login(kingdee.options().password());
        kingdee.faults().expireSessionsAfter(2);
        Map<String, Object> q = Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "Limit", 1);
        assertThat(query(q).get(0).isArray()).isTrue();
        assertThat(query(q).get(0).isArray()).isTrue();
        assertThat(errorOf(query(q)).path("MsgCode").asInt()).isEqualTo(1);
    }

    @Test
    void shouldInjectFaultsInOrder() throws Exception {
        login(kingdee.options().password());
        kingdee.faults().next(KingdeeFaults.responseError(500, "boom")).next(KingdeeFaults.garbage()).next(KingdeeFaults.msgCodeAsStrings(14, "慢点"));
        Map<String, Object> q = Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "Limit", 1);
        HttpResponse<String> first = post(QUERY, body(q));
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.body()).startsWith("response_error:").contains("boom");
        assertThat(post(QUERY, body(q)).body()).startsWith("<!DOCTYPE html>");
        JsonNode third = MAPPER.readTree(post(QUERY, body(q)).body());
        assertThat(errorOf(third).path("MsgCode").asText()).isEqualTo("14");
        assertThat(errorOf(third).path("IsSuccess").asText()).isEqualTo("false");
        assertThat(query(q)).hasSize(1);
    }

    @Test
    void shouldAnswerADelayedQueryNoSoonerThanTheDelayAfterItArrived() throws Exception {
        login(kingdee.options().password());
        kingdee.faults().always(KingdeeFaults.delay(Duration.ofMillis(300)));
        Map<String, Object> q = Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID", "Limit", 5);

        long sent = System.nanoTime();
        JsonNode rows = query(q);
        long answered = System.nanoTime();
        JsonNode refused = query(Map.of("FormId", "BD_Customer", "FieldKeys", "FNoSuchField", "Limit", 5));
        long refusedAt = System.nanoTime();

        assertThat(rows).hasSize(5);
        assertThat(Duration.ofNanos(answered - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(errorOf(refused).path("IsSuccess").asBoolean(true)).isFalse();
        assertThat(Duration.ofNanos(refusedAt - answered)).as("an error is delayed too").isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldMakeLateCommitsWithAPastModifyDate() {
        long id = kingdee.table().ids().get(5);
        LocalDateTime before = kingdee.table().now();
        SandboxCustomer late = kingdee.table().lateCommit(id, Duration.ofMinutes(3));
        assertThat(late.modifyDate()).isBefore(before.minusMinutes(2));
        assertThat(kingdee.table().forbid(id).get("FForbidStatus")).isEqualTo("B");
        assertThat(kingdee.table().create("102").useOrg()).isEqualTo("102");
        assertThat(kingdee.table().all().get(0).name()).matches(".*(公司)$");
    }

    @Test
    void shouldSimulatePeopleChangingCustomersOverTime() {
        LocalDateTime start = kingdee.table().now();
        try (ActivitySimulator activity = kingdee.simulateActivity(Duration.ofMillis(20), 5)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> activity.changes() >= 50);
        }
        long changed = kingdee.table().all().stream().filter(c -> c.modifyDate().isAfter(start.minusMinutes(1))).count();
        assertThat(changed).isGreaterThan(10);
    }

    @Test
    void shouldAcceptCorrectSignatureHeadersAndRejectWrongOnes() throws Exception {
        var o = kingdee.options();
        String path = kingdee.baseUrl().getPath() + QUERY + ".common.kdsvc";
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        String data = o.acctId() + "," + o.username() + ",2052,0";
        HttpRequest.Builder signed = HttpRequest.newBuilder(kingdee.baseUrl().resolve(QUERY + ".common.kdsvc"))
                .header("X-Api-ClientID", o.appId().substring(0, o.appId().indexOf('_')))
                .header("X-Api-Auth-Version", "2.0").header("x-api-timestamp", ts).header("x-api-nonce", ts)
                .header("x-api-signheaders", "x-api-timestamp,x-api-nonce")
                .header("X-Api-Signature", SignatureCheck.apiSignature(path, ts, ts, o.appId()))
                .header("X-Kd-Appkey", o.appId())
                .header("X-Kd-Appdata", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body(Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID"))));
        HttpResponse<String> ok = http.send(signed.copy().header("X-Kd-Signature", SignatureCheck.kdSignature(o.appId(), data, o.appSecret())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(MAPPER.readTree(ok.body())).hasSize(120);
        assertThat(ok.headers().allValues("Set-Cookie")).isNotEmpty();
        HttpResponse<String> bad = http.send(signed.copy().header("X-Kd-Signature", SignatureCheck.kdSignature(o.appId(), data, "wrong")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(errorOf(MAPPER.readTree(bad.body())).path("MsgCode").asInt()).isEqualTo(1);
    }

    private JsonNode login(String password) throws Exception {
        var o = kingdee.options();
        HttpResponse<String> r = post("Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser",
                MAPPER.writeValueAsString(Map.of("parameters", List.of(o.acctId(), o.username(), password, 2052))));
        List<String> cookies = r.headers().allValues("Set-Cookie");
        if (!cookies.isEmpty()) {
            cookie = String.join("; ", cookies.stream().map(c -> c.split(";")[0]).toList());
        }
        return MAPPER.readTree(r.body());
    }

    private JsonNode query(Map<String, Object> data) throws Exception {
        return MAPPER.readTree(post(QUERY, body(data)).body());
    }

    private static String body(Map<String, Object> data) throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        body.set("data", MAPPER.valueToTree(data));
        return MAPPER.writeValueAsString(body);
    }

    private HttpResponse<String> post(String service, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kingdee.baseUrl() + service + ".common.kdsvc"))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode errorOf(JsonNode answer) {
        return answer.get(0).get(0).path("Result").path("ResponseStatus");
    }
}
