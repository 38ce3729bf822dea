package io.kdpipe.extractor.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** Every test vector of kingdee-k3cloud-webapi.md, computed independently from three SDK ports. */
class SignaturesTest {

    private static final String APP_ID = "123456_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4";
    private static final String SECRET = "test-app-secret-value";
    private static final String URL =
            "https://erp.example.com/K3Cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc";

    @Test
    void shouldDeriveTheApiKeyFromTheAppId() {
        assertThat(Signatures.apiKey("x_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4")).isEqualTo("UVJWUANVXl8KXFlfWV1YSBNCShcUQRNL");
    }

    @Test
    void shouldSignTheCanonicalTestString() {
        String toSign = Signatures.apiStringToSign("/test", "1", "1");
        assertThat(toSign).isEqualTo("POST\n%2Ftest\n\nx-api-nonce:1\nx-api-timestamp:1\n");
        assertThat(Signatures.sign(toSign, "key123"))
                .isEqualTo("MThmZGFiM2U5MGZhNmU0MDQ0MWI1NTNkNmNmMjY2MDY0YzEzZTllNTA0OTBmM2M0NDI2NzFiMTI3NTFkZmU1ZQ==");
    }

    @Test
    void shouldProduceTheDocumentedHeadersForAnExecuteBillQueryCall() {
        SignatureHeaders headers = SignatureHeaders.compute(URI.create(URL).getRawPath(), APP_ID, SECRET, "dcid-1", "user-1", 2052, "100", 1_700_000_000L);

        assertThat(headers.get("X-Api-ClientID")).isEqualTo("123456");
        assertThat(headers.get("X-Api-Signature"))
                .isEqualTo("MjNhMzg5MmZiMWE1MTQ1ZGE5NWFkYmZiZWYxYzhlY2NjNzcwM2ZjNDJlZTczMzBhNzkxOTk1ODhjNDZkMTEzYw==");
        assertThat(headers.get("X-Kd-Appdata")).isEqualTo("ZGNpZC0xLHVzZXItMSwyMDUyLDEwMA==");
        assertThat(headers.get("X-Kd-Signature"))
                .isEqualTo("NjI5MzRiZGVhNGJhOWY2N2Y2YzQ2MzQ5ODA3N2JiZTRiMDRmOTUwNjI3YWIzODU1ODBkZDdhNzgwMzdmMDgxMg==");
        assertThat(headers.get("x-api-timestamp")).isEqualTo("1700000000");
        assertThat(headers.get("x-api-nonce")).isEqualTo("1700000000");
        assertThat(headers.get("x-api-signheaders")).isEqualTo("x-api-timestamp,x-api-nonce");
        assertThat(headers.get("X-Api-Auth-Version")).isEqualTo("2.0");
        assertThat(headers.get("X-Kd-Appkey")).isEqualTo(APP_ID);
    }

    @Test
    void shouldEncodeChineseUserNamesAndDefaultOrgNumber() {
        SignatureHeaders headers = SignatureHeaders.compute(URI.create(URL).getRawPath(), APP_ID, SECRET, "dcid-1", "张三", 2052, null, 1_700_000_000L);

        assertThat(headers.get("X-Kd-Appdata")).isEqualTo("ZGNpZC0xLOW8oOS4iSwyMDUyLDA=");
        assertThat(headers.get("X-Kd-Signature"))
                .isEqualTo("ZmRhMjUzMzBiYWYwMDJlZjE4NjRlYTdmY2FkNWE1NTkyYzlhZjc2ZTA0NTBmNWZlNDU5ZWQxMmZhNjBlNGJkMQ==");
    }

    @Test
    void shouldComputeTheLoginBySignSign() {
        assertThat(Signatures.loginSign("dcid-1", "user-1", APP_ID, SECRET, "1700000000"))
                .isEqualTo("ca8f46720929abb92e54aab9dc72e409d45024c1c5ce71ea8e4f2bd71822ea79");
    }

    @Test
    void shouldRefuseAnAppIdWithoutThirtyTwoCharactersAfterTheUnderscore() {
        assertThatThrownBy(() -> Signatures.apiKey("123456_tooShort"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 32 characters");
        assertThatThrownBy(() -> Signatures.apiKey("noUnderscore"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
