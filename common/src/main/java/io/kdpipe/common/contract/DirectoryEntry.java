package io.kdpipe.common.contract;

import java.time.Instant;

/**
 * Who a Kingdee person or department is in DingTalk, on {@code dingtalk.directory.v1} keyed by
 * {@link #key()}. The transformer reads the topic as a table to route notices.
 *
 * @param type         person (salesperson) or department
 * @param number       the Kingdee number, e.g. {@code FSELLER.FNumber} or {@code FSALDEPTID.FNumber}
 * @param name         display name
 * @param mobile       mobile number, used to look the userid up; may be null
 * @param userId       the DingTalk userid of a person; null until resolved
 * @param deptId       the DingTalk department id of a department; null until resolved
 * @param updatedAt    when this entry was written
 */
public record DirectoryEntry(
        int schemaVersion,
        Type type,
        String number,
        String name,
        String mobile,
        String userId,
        Long deptId,
        Instant updatedAt) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<DirectoryEntry> CODEC = new Codec<>(DirectoryEntry.class, VERSION);

    public enum Type { PERSON, DEPARTMENT }

    public DirectoryEntry {
        Require.present(type, "type");
        Require.text(number, "number");
        Require.present(updatedAt, "updatedAt");
    }

    /** The record key: {@code person:NUMBER} or {@code department:NUMBER}. */
    public String key() {
        return key(type, number);
    }

    public static String key(Type type, String number) {
        return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + number;
    }

    public boolean resolved() {
        return type == Type.PERSON ? userId != null && !userId.isBlank() : deptId != null;
    }
}
