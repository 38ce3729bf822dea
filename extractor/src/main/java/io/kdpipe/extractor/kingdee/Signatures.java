package io.kdpipe.extractor.kingdee;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kingdee's signatures, as the official SDKs compute them: the per-request {@code X-Api-*} /
 * {@code X-Kd-*} headers and the {@code LoginBySign} sign. Pinned by unit tests to the published
 * test vectors.
 */
public final class Signatures {

    private static final byte[] XOR_KEY = "0054f397c6234378b09ca7d3e5debce7".getBytes(StandardCharsets.US_ASCII);

    private Signatures() {
    }

    /** The part of an AppID before the first {@code _}: the {@code X-Api-ClientID}. */
    public static String clientId(String appId) {
        int cut = appId.indexOf('_');
        if (cut <= 0) {
            throw new IllegalArgumentException("the AppID must look like <clientId>_<32 characters>");
        }
        return appId.substring(0, cut);
    }

    /**
     * The HMAC key of {@code X-Api-Signature}: the 32 characters after {@code _} in the AppID,
     * Base64-decoded, XORed with a fixed ASCII key and Base64-encoded again.
     */
    public static String apiKey(String appId) {
        clientId(appId);
        String part = appId.substring(appId.indexOf('_') + 1);
        if (part.length() != 32) {
            throw new IllegalArgumentException("the AppID must have exactly 32 characters after '_', it has " + part.length());
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the 32 characters after '_' in the AppID are not Base64");
        }
        byte[] out = new byte[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            out[i] = (byte) (decoded[i] ^ XOR_KEY[i % XOR_KEY.length]);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    /** The text {@code X-Api-Signature} signs for a POST to {@code path}. */
    public static String apiStringToSign(String path, String nonce, String timestamp) {
        String encodedPath = URLEncoder.encode(path, StandardCharsets.UTF_8);
        return "POST\n" + encodedPath + "\n\nx-api-nonce:" + nonce + "\nx-api-timestamp:" + timestamp + "\n";
    }

    /** Base64 of the lower-case hex HMAC-SHA256 of {@code text} keyed with {@code key}'s UTF-8 bytes. */
    public static String sign(String text, String key) {
        return base64(hmacHex(key, text));
    }

    public static String apiSignature(String path, String nonce, String timestamp, String appId) {
        return sign(apiStringToSign(path, nonce, timestamp), apiKey(appId));
    }

    /** The app data text {@code acctId,userName,lcid,orgNum}; {@code X-Kd-Appdata} carries it in Base64. */
    public static String appData(String acctId, String userName, int lcid, String orgNum) {
        return acctId + "," + userName + "," + lcid + "," + (orgNum == null || orgNum.isBlank() ? "0" : orgNum);
    }

    /** {@code X-Kd-Signature}: over the AppID followed by the app data text (not its Base64), keyed with the AppSecret. */
    public static String kdSignature(String appId, String appData, String appSecret) {
        return base64(hmacHex(appSecret, appId + appData));
    }

    /** {@code LoginBySign}'s sign: lower-case hex SHA-256 of the five strings sorted ordinally and joined. */
    public static String loginSign(String acctId, String userName, String appId, String appSecret, String timestamp) {
        String[] parts = {acctId, userName, appId, appSecret, timestamp};
        Arrays.sort(parts);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hmacHex(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
