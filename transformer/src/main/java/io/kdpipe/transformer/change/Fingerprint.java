package io.kdpipe.transformer.change;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.lang.NamesByPosition;
import io.kdpipe.transformer.binary.Binary;
import io.kdpipe.transformer.binary.ByteSink;

/**
 * Fingerprints of a row's fields except {@code FModifyDate}, so a save that moved only unwatched
 * fields can be told from one that moved nothing.
 *
 * <p>Current scheme, {@value #SCHEME}: {@code "f2:"} + hex of the first 128 bits of SHA-256 over
 * the canonical form: for each field in the row's key order (String natural order), the name
 * and the value as {@link Binary#writeString} / {@link Binary#writeJson} write them (length-prefixed
 * UTF-8; a tag byte and the value's content). No JSON is written, and a row read from its bytes
 * hands its text over as those bytes ({@link CustomerRow#forEachField}), hashed without a string being made.
 *
 * <p>Legacy scheme (stored by earlier versions): 64 hex digits of SHA-256 over the fields' JSON
 * text (sorted keys). A stored legacy fingerprint is compared with the legacy fingerprint of the
 * new row ({@link #legacy}), once per customer: after that the state holds a current one. Anything
 * else counts as unknown and only the watched fields are compared. This way an upgrade never
 * reports a save as {@code UNWATCHED_FIELDS_ONLY} just because the scheme changed.
 *
 * <p>Not thread-safe: one instance per processor (it reuses its digest and buffer).
 */
public final class Fingerprint {

    public static final String SCHEME = "f2:";

    /** How a stored fingerprint was computed. */
    public enum Scheme { CURRENT, LEGACY, UNKNOWN }

    /** Field names remembered with their UTF-8 bytes; a row has a few dozen, so this bound is never reached in practice. */
    private static final int MAX_NAMES = 1024;

    private final MessageDigest sha256 = sha256();
    private final NamesByPosition<byte[]> names = new NamesByPosition<>(name -> name.getBytes(StandardCharsets.UTF_8), MAX_NAMES);
    private final ByteSink out = new ByteSink(2048);
    /** The next field's position in the row. */
    private int position;

    public String of(CustomerRow row) {
        out.reset();
        position = 0;
        row.forEachField(canonical);
        sha256.update(out.buffer(), 0, out.size());
        byte[] digest = sha256.digest();
        return SCHEME + HexFormat.of().formatHex(digest, 0, 16);
    }

    /** Writes each field but {@code FModifyDate} in the canonical form: a row's text straight from its bytes. */
    private final CustomerRow.FieldVisitor canonical = new CustomerRow.FieldVisitor() {
        @Override
        public void value(String name, JsonNode value) {
            if (name(name)) {
                try {
                    Binary.writeJson(out, value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // not thrown by an in-memory stream
                }
            }
        }

        @Override
        public void text(String name, byte[] utf8, int offset, int length) {
            if (name(name)) {
                Binary.writeText(out, utf8, offset, length);
            }
        }

        @Override
        public void emptyArray(String name) {
            if (name(name)) {
                Binary.writeEmptyArray(out);
            }
        }

        /**
         * The field name as Binary.writeString writes it, its bytes encoded once per name and, for rows that
         * share their names' strings (as rows read with one layout do), found by position; false for FModifyDate.
         */
        private boolean name(String name) {
            int i = position++;
            if (name.equals(CustomerState.MODIFY_DATE)) {
                return false;
            }
            byte[] bytes = names.get(i, name);
            out.writeInt(bytes.length);
            out.write(bytes, 0, bytes.length);
            return true;
        }
    };

    public static Scheme scheme(String fingerprint) {
        if (fingerprint == null) {
            return Scheme.UNKNOWN;
        }
        if (fingerprint.startsWith(SCHEME)) {
            return Scheme.CURRENT;
        }
        return fingerprint.length() == 64 && fingerprint.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                ? Scheme.LEGACY : Scheme.UNKNOWN;
    }

    /** The fingerprint earlier versions stored: SHA-256 of the fields' JSON text, as 64 hex digits. */
    public static String legacy(CustomerRow row) {
        Map<String, Object> fields = new TreeMap<>(row.fields());
        fields.remove(CustomerState.MODIFY_DATE);
        try {
            byte[] canonical = Json.mapper().writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(sha256().digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint row", e);
        }
    }

    /**
     * Whether the fields other than {@code FModifyDate} differ between the row behind
     * {@code previous} and {@code row} (whose current fingerprint is {@code next}); false when the
     * stored fingerprint's scheme is unknown.
     */
    public static boolean unwatchedFieldsMoved(CustomerState previous, String next, CustomerRow row) {
        String before = previous.fingerprint();
        return switch (scheme(before)) {
            case CURRENT -> !before.equals(next);
            case LEGACY -> !before.equals(legacy(row));
            case UNKNOWN -> false;
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
