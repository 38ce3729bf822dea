package io.kdpipe.transformer.change;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kdpipe.common.contract.Codec;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Versioned;

/**
 * What the change detector remembers of one customer, in the {@code customer-state} store (and its
 * changelog). Only the watched fields and the two status fields are kept, plus a fingerprint of the
 * whole row so "nothing but FModifyDate moved" can be told from "an unwatched field moved".
 *
 * @param modifiedAt       the row version ({@code FModifyDate}) this state came from
 * @param watched          watched field → text value (null when empty)
 * @param documentStatus   {@code FDocumentStatus}
 * @param forbidStatus     {@code FForbidStatus}
 * @param fingerprint      SHA-256 of every field except {@code FModifyDate}
 */
public record CustomerState(
        int schemaVersion,
        Instant modifiedAt,
        Map<String, String> watched,
        String documentStatus,
        String forbidStatus,
        String fingerprint) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<CustomerState> CODEC = new Codec<>(CustomerState.class, VERSION);

    public static final String DOCUMENT_STATUS = "FDocumentStatus";
    public static final String FORBID_STATUS = "FForbidStatus";
    public static final String MODIFY_DATE = "FModifyDate";

    public CustomerState {
        watched = watched == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(watched));
    }

    public static CustomerState of(CustomerRow row, List<String> watchedFields) {
        Map<String, String> watched = new TreeMap<>();
        for (String field : watchedFields) {
            watched.put(field, row.text(field));
        }
        return new CustomerState(VERSION, row.modifiedAt(), watched, row.text(DOCUMENT_STATUS), row.text(FORBID_STATUS),
                fingerprint(row));
    }

    private static String fingerprint(CustomerRow row) {
        Map<String, Object> fields = new TreeMap<>(row.fields());
        fields.remove(MODIFY_DATE);
        try {
            byte[] canonical = Json.mapper().writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint row", e);
        }
    }
}
