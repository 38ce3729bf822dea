package io.kdpipe.sandbox.kingdee;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The server side of Kingdee's signatures: what a correctly signed request must carry. */
final class SignatureCheck {

    private static final byte[] XOR_KEY = "0054f397c6234378b09ca7d3e5debce7".getBytes(StandardCharsets.US_ASCII);

    private SignatureCheck() {
    }

    /** {@code X-Api-Signature} for a POST to {@code path} by {@code appId}. */
    static String apiSignature(String path, String nonce, String timestamp, String appId) {
        String encodedPath = URLEncoder.encode(path, StandardCharsets.UTF_8);
        String toSign = "POST\n" + encodedPath + "\n\nx-api-nonce:" + nonce + "\nx-api-timestamp:" + timestamp + "\n";
        return base64(hmacHex(apiKey(appId), toSign));
    }

    /** {@code X-Kd-Signature}: over the AppID and the app data text (decoded), keyed with the AppSecret. */
    static String kdSignature(String appId, String appData, String appSecret) {
        return base64(hmacHex(appSecret, appId + appData));
    }

    /** {@code LoginBySign}'s sign: SHA-256 of the five strings sorted ordinally. */
    static String loginSign(String acctId, String user, String appId, String appSecret, String timestamp) {
        String[] parts = {acctId, user, appId, appSecret, timestamp};
        Arrays.sort(parts);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String apiKey(String appId) {
        int cut = appId.indexOf('_');
        String secretPart = cut < 0 ? "" : appId.substring(cut + 1);
        byte[] decoded = Base64.getDecoder().decode(secretPart);
        byte[] out = new byte[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            out[i] = (byte) (decoded[i] ^ XOR_KEY[i % XOR_KEY.length]);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    private static String hmacHex(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
