package io.kdpipe.extractor.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.common.config.Secret;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the Kingdee sandbox's real HTTP server; pauses are recorded, not slept. */
class KingdeeClientTest {

    private final KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(50));
    private final List<Duration> pauses = new ArrayList<>();
    private final ExtractorMetrics metrics = new ExtractorMetrics(new SimpleMeterRegistry());
    private final BillQuery query = new BillQuery("BD_Customer", List.of("FCUSTID", "FName"), "", "FCUSTID ASC", 0, 100);

    @AfterEach
    void stop() {
        kingdee.close();
    }

    private KingdeeClient client(KingdeeAuth auth) {
        var o = kingdee.options();
        KingdeeSite site = new KingdeeSite(kingdee.baseUrl(), o.acctId(), o.username(), auth, 2052, Duration.ofSeconds(2));
        return new KingdeeClient(site, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Clock.systemUTC(),
                pauses::add, new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(3)), metrics);
    }

    private KingdeeClient passwordClient() {
        return client(new KingdeeAuth.Password(new Secret(kingdee.options().password())));
    }

    @Test
    void shouldRetryThrottlingWithGrowingPausesThenSucceed() throws Exception {
        kingdee.faults().times(3, KingdeeFaults.throttled());
        assertThat(passwordClient().executeBillQuery(query)).hasSize(50);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertThat(metrics.count("kdpipe.extractor.kingdee.calls", "outcome", "throttled")).isEqualTo(3);
    }

    @Test
    void shouldGiveUpAfterTheLastAttempt() {
        kingdee.faults().always(KingdeeFaults.http(503, "<html>down</html>"));
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> passwordClient().executeBillQuery(query));
        assertThat(e.kind()).isEqualTo(KingdeeException.Kind.TRANSIENT);
        assertThat(kingdee.calls("ExecuteBillQuery")).isEqualTo(4);
    }

    @Test
    void shouldNotRetryABadField() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> passwordClient()
                .executeBillQuery(new BillQuery("BD_Customer", List.of("FCUSTID", "FNoSuchField"), "", "", 0, 10)));
        assertThat(e.kind()).isEqualTo(KingdeeException.Kind.QUERY_REJECTED);
        assertThat(e.getMessage()).contains("MsgCode 9").contains("FNoSuchField");
        assertThat(kingdee.calls("ExecuteBillQuery")).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void shouldTimeOutAHungCallAndRetryIt() throws Exception {
        kingdee.faults().next(KingdeeFaults.hang());
        assertThat(passwordClient().executeBillQuery(query)).hasSize(50);
        assertThat(metrics.count("kdpipe.extractor.kingdee.calls", "outcome", "timeout_or_io")).isEqualTo(1);
        kingdee.faults().releaseHung();
    }

    @Test
    void shouldLogInAgainOnceWhenTheSessionIsLost() throws Exception {
        KingdeeClient client = passwordClient();
        client.executeBillQuery(query);
        kingdee.expireAllSessions();
        assertThat(client.executeBillQuery(query)).hasSize(50);
        assertThat(kingdee.logins()).isEqualTo(2);
        assertThat(kingdee.calls("ValidateUser")).isEqualTo(2);
    }

    @Test
    void shouldNameAWrongPasswordWithoutRevealingIt() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class,
                () -> client(new KingdeeAuth.Password(new Secret("hunter2"))).executeBillQuery(query));
        assertThat(e.kind()).isEqualTo(KingdeeException.Kind.LOGIN_REFUSED);
        assertThat(e.getMessage()).contains("wrong user name or password").doesNotContain("hunter2");
        assertThat(kingdee.calls("ValidateUser")).isEqualTo(1);
    }

    @Test
    void shouldLogInWithEachMode() throws Exception {
        var o = kingdee.options();
        assertThat(client(new KingdeeAuth.AppSecret(o.appId(), new Secret(o.appSecret()))).executeBillQuery(query)).hasSize(50);
        assertThat(client(new KingdeeAuth.SignedLogin(o.appId(), new Secret(o.appSecret()))).executeBillQuery(query)).hasSize(50);
        assertThat(client(new KingdeeAuth.SignatureHeaders(o.appId(), new Secret(o.appSecret()), "0")).executeBillQuery(query)).hasSize(50);
        assertThat(kingdee.calls("LoginByAppSecret")).isEqualTo(1);
        assertThat(kingdee.calls("LoginBySign")).isEqualTo(1);
    }

    @Test
    void shouldReportRejectedSignatureHeadersAsARefusedLogin() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> client(
                new KingdeeAuth.SignatureHeaders(kingdee.options().appId(), new Secret("wrong-secret"), "0")).executeBillQuery(query));
        assertThat(e.kind()).isEqualTo(KingdeeException.Kind.LOGIN_REFUSED);
        assertThat(e.getMessage()).contains("signature headers");
    }

    @Test
    void shouldAlwaysSendTopRowCountZero() {
        assertThat(KingdeeClient.queryBody(query)).contains("\"TopRowCount\":0").contains("\"Limit\":100").contains("\"StartRow\":0");
    }

    @Test
    void shouldCountARefusedLoginAsRefused() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class,
                () -> client(new KingdeeAuth.Password(new Secret("wrong-password"))).executeBillQuery(query));
        assertThat(e.kind()).isEqualTo(KingdeeException.Kind.LOGIN_REFUSED);
        assertThat(metrics.count("kdpipe.extractor.kingdee.calls", "outcome", "login_refused")).isEqualTo(1);
        assertThat(metrics.count("kdpipe.extractor.kingdee.calls", "outcome", "ok")).isZero();
        assertThat(metrics.count("kdpipe.extractor.logins", "outcome", "refused")).isEqualTo(1);
    }

    @Test
    void shouldNameTheDottedFormOfAFlattenedKeyAndKingdeeUrlOnA404() {
        KingdeeException flattened = catchThrowableOfType(KingdeeException.class, () -> passwordClient()
                .executeBillQuery(new BillQuery("BD_Customer", List.of("FCUSTID", "FSELLER_FNumber"), "", "", 0, 10)));
        assertThat(flattened.getMessage()).contains("MsgCode 9", "FSELLER_FNumber", "FSELLER.FNumber");

        var o = kingdee.options();
        KingdeeSite wrongPath = new KingdeeSite(kingdee.baseUrl().resolve("/k3"), o.acctId(), o.username(),
                new KingdeeAuth.Password(new Secret(o.password())), 2052, Duration.ofSeconds(2));
        KingdeeException notFound = catchThrowableOfType(KingdeeException.class, () -> new KingdeeClient(wrongPath,
                HttpClient.newHttpClient(), Clock.systemUTC(), pauses::add, RetryPolicy.defaults(), metrics).executeBillQuery(query));
        assertThat(notFound.httpStatus()).isEqualTo(404);
        assertThat(notFound.getMessage()).contains("check KINGDEE_URL");
    }
}
