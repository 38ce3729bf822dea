package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDateTime;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.runtime.Health;
import io.kdpipe.sandbox.kingdee.KingdeeFaults;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.Producer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ErrorsIT {

    private final KafkaBroker broker;

    ErrorsIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void shouldReportErrorResponsesAndGarbageClearlyCountThemAndKeepTheWatermark() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(200)))) {
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            String job = f.config().jobs().get(0).id();
            await().atMost(Duration.ofSeconds(10)).until(() -> extractor.readiness().up());
            Checkpoint before = f.checkpoint(job).orElseThrow();
            int rowsBefore = f.rows().size();

            // a change is waiting, but every answer is now an error of one kind or another
            f.kingdee.faults().always(KingdeeFaults.garbage());
            LocalDateTime changed = f.kingdee.table().edit(f.kingdee.table().ids().get(3)).modifyDate();
            expectDown(extractor, "not JSON");
            double badResponses = extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "bad_response");
            assertThat(badResponses).isPositive();
            // the job tries again after its pause, and the count rises with each failed attempt
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "bad_response") > badResponses);

            f.kingdee.faults().clear().always(KingdeeFaults.msgCode(9, "元数据中标识为FSELLERX的字段不存在"));
            expectDown(extractor, "MsgCode 9 (field or value does not exist): 元数据中标识为FSELLERX的字段不存在");

            f.kingdee.faults().clear().always(KingdeeFaults.msgCodeAsStrings(4, "过滤条件语法错误"));
            expectDown(extractor, "MsgCode 4");

            f.kingdee.faults().clear().always(KingdeeFaults.responseError(200, "对象名 'T_BD_CUSTOMERX' 无效。"));
            expectDown(extractor, "server exception (HTTP 200): 对象名 'T_BD_CUSTOMERX' 无效。");

            // the error metrics rose, the job paused between attempts instead of looping hot
            long calls = f.kingdee.calls("ExecuteBillQuery");
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(f.kingdee.calls("ExecuteBillQuery") - calls).as("calls in 2 s with a 500 ms pause").isLessThanOrEqualTo(6);
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "msg_code_9")).isPositive();
            assertThat(extractor.metrics().count("kdpipe.extractor.kingdee.calls", "outcome", "msg_code_4")).isPositive();
            assertThat(extractor.metrics().count("kdpipe.extractor.job.errors", "job", job)).isGreaterThan(4);

            // the watermark did not move and nothing was published meanwhile
            assertThat(f.checkpoint(job).orElseThrow().watermark()).isEqualTo(before.watermark());
            assertThat(f.rows()).hasSize(rowsBefore);

            f.kingdee.faults().clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> f.checkpoint(job).orElseThrow().watermark().equals(changed));
            await().atMost(Duration.ofSeconds(5)).until(() -> extractor.readiness().up());
            assertThat(f.rows()).hasSize(rowsBefore + 1);
        }
    }

    @Test
    void shouldNameARefusedLoginAndNotRetryItInALoop() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(10)))) {
            f.set("KINGDEE_PASSWORD", "wrong-password");
            Extractor extractor = f.start();

            expectDown(extractor, "wrong user name or password");
            String detail = extractor.readiness().detail();
            assertThat(detail).doesNotContain("wrong-password").contains("KINGDEE_PASSWORD");
            long logins = f.kingdee.calls("ValidateUser");
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(f.kingdee.calls("ValidateUser") - logins).as("one login per 500 ms pause, no retry storm").isBetween(1L, 6L);
            assertThat(extractor.metrics().count("kdpipe.extractor.logins", "outcome", "refused")).isPositive();
            assertThat(f.rows()).isEmpty();
        }
    }

    @Test
    void shouldNameAnUnknownAccountId() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(10)))) {
            f.set("KINGDEE_ACCT_ID", "no-such-dc");
            Extractor extractor = f.start();
            expectDown(extractor, "account id (acctID");
        }
    }

    @Test
    void shouldSignEveryCallWithSignatureHeaders() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(300)))) {
            f.set("KINGDEE_AUTH", "signature_headers").set("KINGDEE_APP_ID", f.kingdee.options().appId())
                    .set("KINGDEE_APP_SECRET", f.kingdee.options().appSecret()).set("KINGDEE_PAGE_SIZE", "100");
            f.start();
            f.awaitSnapshots(Duration.ofSeconds(30));
            assertThat(f.rows()).hasSize(300);
            assertThat(f.kingdee.calls("ValidateUser") + f.kingdee.calls("LoginByAppSecret")).as("no login call").isZero();
        }
    }

    @Test
    void shouldLogInWithAppSecretAndRefuseAWrongOne() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(100)))) {
            f.set("KINGDEE_AUTH", "app_secret").set("KINGDEE_APP_ID", f.kingdee.options().appId())
                    .set("KINGDEE_APP_SECRET", "not-the-secret");
            Extractor refused = f.start();
            expectDown(refused, "app_secret login");
            refused.close();

            f.set("KINGDEE_APP_SECRET", f.kingdee.options().appSecret());
            f.start();
            f.awaitSnapshots(Duration.ofSeconds(30));
            assertThat(f.rows()).hasSize(100);
        }
    }

    @Test
    void shouldNotBeLiveOnceAJobThreadDiesOfAnUnexpectedFailure() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(10)))) {
            // the job's producer cannot be made, with an exception none of the job's handlers expects
            Extractor extractor = f.start(config -> {
                return new ForwardingClients(KafkaClients.of(config)) {
                    @Override
                    public Producer<String, byte[]> producer(String transactionalId) {
                        throw new ArithmeticException("injected: / by zero");
                    }
                };
            });
            String job = f.config().jobs().get(0).id();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Health.Status live = extractor.liveness();
                assertThat(live.up()).isFalse();
                assertThat(live.detail()).contains("a job's thread died", "job " + job, "ArithmeticException", "injected: / by zero");
            });
            expectDown(extractor, "the job's thread died");
            assertThat(extractor.metrics().count("kdpipe.extractor.job.errors", "kind", "died")).isEqualTo(1.0);
        }
    }

    private static void expectDown(Extractor extractor, String reason) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Health.Status status = extractor.readiness();
            assertThat(status.up()).isFalse();
            assertThat(status.detail()).contains(reason);
        });
    }

    @Test
    void shouldRefuseToStartWithAFieldKeyKingdeeDoesNotKnowNamingTheDottedForm() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(20)))) {
            f.set("KINGDEE_FIELD_KEYS", "FNumber,FName,FSELLER.FNumbr");
            ConfigException e = Assertions.catchThrowableOfType(
                    ConfigException.class, f::start);
            assertThat(e.getMessage()).contains("KINGDEE_FIELD_KEYS", "MsgCode 9", "FSELLER.FNumbr", "FSELLER.FNumber");
            assertThat(f.kingdee.calls("ExecuteBillQuery")).isEqualTo(1);
        }
    }

    @Test
    void shouldTellAHungCallInReadinessBeforeTheRetriesGiveUp() {
        try (ExtractorFixture f = new ExtractorFixture(broker, KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(20)))) {
            f.set("KINGDEE_RETRY_ATTEMPTS", "6");
            Extractor extractor = f.start();
            f.awaitSnapshots(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(10)).until(() -> extractor.readiness().up());

            // every call hangs until it times out (3 s), and is tried again: the job itself still thinks it is polling
            f.kingdee.faults().always(KingdeeFaults.hang());
            await().atMost(Duration.ofSeconds(14)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !extractor.readiness().up() && extractor.readiness().detail().contains("a call may hang"));

            f.kingdee.faults().clear();
            f.kingdee.faults().releaseHung();
            await().atMost(Duration.ofSeconds(30)).until(() -> extractor.readiness().up());
        }
    }
}
