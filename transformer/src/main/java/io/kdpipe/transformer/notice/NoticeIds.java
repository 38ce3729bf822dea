package io.kdpipe.transformer.notice;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.kdpipe.common.contract.Notice.Kind;

/** Deterministic notice ids: rebuilding the same change, or the same digest, yields the same id. */
public final class NoticeIds {

    private NoticeIds() {
    }

    /** {@code n-} + 128 bits of SHA-256 over customer key, kind and row version ({@code FModifyDate}). */
    public static String single(String customerKey, Kind kind, Instant modifiedAt) {
        return "n-" + hash(customerKey + "\n" + kind.name() + "\n" + modifiedAt.toEpochMilli());
    }

    /** {@code d-} + 128 bits of SHA-256 over the ids of the notices a digest lists, in order. */
    public static String digest(List<String> itemIds) {
        return "d-" + hash(String.join("\n", itemIds));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
