package io.kdpipe.notifier.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {

    private static String body(long errcode) {
        return "{\"errcode\":" + errcode + ",\"errmsg\":\"x\"}";
    }

    private static String body88(String sub) {
        return "{\"errcode\":88,\"errmsg\":\"ding talk error[subcode=" + sub + ",submsg=x]\",\"sub_code\":\"" + sub + "\"}";
    }

    @ParameterizedTest(name = "errcode {0} {1} -> {2} {3}")
    @CsvSource({
            // errcode, sub_code (88 only), class, pause, reason
            // retry with backoff
            "-1,      ,      RETRY,         NONE,          BUSY",
            "500,     ,      RETRY,         NONE,          SERVER_ERROR",
            "90002,   ,      RETRY,         GLOBAL_RATE,   GLOBAL_RATE",
            "90003,   ,      RETRY,         TEMPORARY_BAN, TEMPORARY_BAN",
            "90004,   ,      RETRY,         TEMPORARY_BAN, TEMPORARY_BAN",
            "90005,   ,      RETRY,         TEMPORARY_BAN, TEMPORARY_BAN",
            "90006,   ,      RETRY,         TEMPORARY_BAN, TEMPORARY_BAN",
            // refresh the token once, then retry
            "40014,   ,      REFRESH_TOKEN, NONE,          TOKEN_INVALID",
            "42001,   ,      REFRESH_TOKEN, NONE,          TOKEN_INVALID",
            "40001,   ,      REFRESH_TOKEN, NONE,          TOKEN_INVALID",
            // permanent
            "60011,   ,      PERMANENT,     NONE,          NO_PERMISSION",
            "60020,   ,      PERMANENT,     NONE,          IP_NOT_WHITELISTED",
            "40056,   ,      PERMANENT,     NONE,          BAD_AGENT_ID",
            "40035,   ,      PERMANENT,     NONE,          BAD_PARAMETER",
            "400002,  ,      PERMANENT,     NONE,          BAD_PARAMETER",
            "40008,   ,      PERMANENT,     NONE,          BAD_PARAMETER",
            "33012,   ,      PERMANENT,     NONE,          BAD_USERID",
            "40003,   ,      PERMANENT,     NONE,          BAD_USERID",
            "40031,   ,      PERMANENT,     NONE,          BAD_USERID",
            "60121,   ,      PERMANENT,     NONE,          BAD_USERID",
            "41029,   ,      PERMANENT,     NONE,          TOO_MANY_RECIPIENTS",
            "41028,   ,      PERMANENT,     NONE,          TO_ALL_REFUSED",
            "41045,   ,      PERMANENT,     NONE,          TO_ALL_REFUSED",
            "41046,   ,      PERMANENT,     NONE,          TO_ALL_REFUSED",
            "45002,   ,      PERMANENT,     NONE,          TOO_LONG",
            "45003,   ,      PERMANENT,     NONE,          TOO_LONG",
            "41101,   ,      PERMANENT,     NONE,          TOO_LONG",
            "41049,   ,      PERMANENT,     NONE,          FORBIDDEN_CONTENT",
            "1430002, ,      PERMANENT,     NONE,          FORBIDDEN_CONTENT",
            "41044,   ,      PERMANENT,     NONE,          SENDING_BLOCKED",
            "90020,   ,      PERMANENT,     MONTHLY_QUOTA, MONTHLY_QUOTA",
            // 88: decided by its sub_code
            "88,      90018, RETRY,         APP_RATE,      APP_RATE",
            "88,      40014, REFRESH_TOKEN, NONE,          TOKEN_INVALID",
            "88,      60011, PERMANENT,     NONE,          NO_PERMISSION",
            "88,      60020, PERMANENT,     NONE,          IP_NOT_WHITELISTED",
            "88,      40000, PERMANENT,     NONE,          TOKEN_MISSING",
            "88,      41001, PERMANENT,     NONE,          TOKEN_MISSING",
            "88,      77777, RETRY,         NONE,          ERRCODE_88",
            // not in the table: retried within the deadline, never dropped
            "12345,   ,      RETRY,         NONE,          UNKNOWN_ERRCODE",
    })
    void shouldClassifyEveryErrcodeOfTheTable(long errcode, String subCode, ErrorClass expected, Pause pause, String reason) {
        String body = subCode == null ? body(errcode) : body88(subCode);
        assertThat(Classifier.classify(200, body))
                .extracting(Verdict::ok, Verdict::errorClass, Verdict::pause, Verdict::reason, Verdict::errcode, Verdict::subCode)
                .containsExactly(false, expected, pause, reason, errcode, subCode);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sub_code only in errmsg      | 200 | {\"errcode\":88,\"errmsg\":\"ding talk error[subcode=90018,submsg=qps]\"} | RETRY         | APP_RATE",
            "88 without sub_code          | 200 | {\"errcode\":88,\"errmsg\":\"error\"}                                   | RETRY         | NONE",
            "HTTP 503 text                | 503 | Service Unavailable                                                       | RETRY         | NONE",
            "HTTP 502 with JSON           | 502 | {\"errcode\":0}                                                          | RETRY         | NONE",
            "HTML ban page                | 200 | <!DOCTYPE html><html><body>denied</body></html>                           | RETRY         | IP_BAN",
            "status 1111 ban              | 200 | {\"status\":1111,\"wait\":5,\"punish\":\"deny\"}                          | RETRY         | IP_BAN",
            "HTTP 429                     | 429 | too many                                                                  | RETRY         | GLOBAL_RATE",
            "HTTP 404 text                | 404 | not found                                                                 | PERMANENT     | NONE",
            "JSON without errcode         | 200 | {\"hello\":1}                                                            | RETRY         | NONE",
            "empty body                   | 200 | ''                                                                        | RETRY         | NONE",
    })
    void shouldClassifyByHttpStatusAndBodyShape(String name, int status, String body, ErrorClass expected, Pause pause) {
        assertThat(Classifier.classify(status, body))
                .extracting(Verdict::ok, Verdict::errorClass, Verdict::pause, Verdict::httpStatus)
                .containsExactly(false, expected, pause, status);
    }

    @Test
    void shouldAcceptErrcodeZero() {
        Verdict v = Classifier.classify(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"task_id\":256271667526}");
        assertThat(v.ok()).isTrue();
        assertThat(v.errorClass()).isNull();
    }

    @Test
    void shouldRetryWhenNoAnswerCame() {
        assertThat(Verdict.noAnswer("TIMEOUT", "t").errorClass()).isEqualTo(ErrorClass.RETRY);
    }
}
