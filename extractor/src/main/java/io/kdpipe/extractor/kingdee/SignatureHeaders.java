package io.kdpipe.extractor.kingdee;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The nine headers the official SDK sends on every call instead of logging in. */
public record SignatureHeaders(Map<String, String> headers) {

    public SignatureHeaders {
        headers = Map.copyOf(headers);
    }

    /**
     * @param path        the request path after scheme and host, e.g. {@code /k3cloud/Kingdee....common.kdsvc}
     * @param epochSecond the Unix time; used as both timestamp and nonce, as the SDKs do
     */
    public static SignatureHeaders compute(String path, String appId, String appSecret, String acctId, String userName,
            int lcid, String orgNum, long epochSecond) {
        String ts = Long.toString(epochSecond);
        String appData = Signatures.appData(acctId, userName, lcid, orgNum);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Api-ClientID", Signatures.clientId(appId));
        h.put("X-Api-Auth-Version", "2.0");
        h.put("x-api-timestamp", ts);
        h.put("x-api-nonce", ts);
        h.put("x-api-signheaders", "x-api-timestamp,x-api-nonce");
        h.put("X-Api-Signature", Signatures.apiSignature(path, ts, ts, appId));
        h.put("X-Kd-Appkey", appId);
        h.put("X-Kd-Appdata", Base64.getEncoder().encodeToString(appData.getBytes(StandardCharsets.UTF_8)));
        h.put("X-Kd-Signature", Signatures.kdSignature(appId, appData, appSecret));
        return new SignatureHeaders(h);
    }

    public String get(String name) {
        return headers.get(name);
    }
}
