package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.Locale;

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
 * @param status       what DingTalk's contacts API last said of the person's userid; null is read
 *                     as {@link Status#UNCHECKED}. Departments are {@link Status#UNCHECKED} or
 *                     {@link Status#ACTIVE}.
 * @param checkedAt    when {@link #status} was last established by a contacts lookup; null if never
 * @param managerUserId for a department: the DingTalk userid of its manager, a routing fallback;
 *                     null when unknown, and always null for a person
 */
public record DirectoryEntry(
        int schemaVersion,
        Type type,
        String number,
        String name,
        String mobile,
        String userId,
        Long deptId,
        Instant updatedAt,
        Status status,
        Instant checkedAt,
        String managerUserId) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<DirectoryEntry> CODEC = new Codec<>(DirectoryEntry.class, VERSION);

    public enum Type { PERSON, DEPARTMENT }

    /**
     * What DingTalk's contacts API (free, not counted against the monthly quota) said of the id:
     * never asked, an active member, left the organisation, or not known at all.
     */
    public enum Status { UNCHECKED, ACTIVE, DEPARTED, UNKNOWN }

    public DirectoryEntry {
        Require.present(type, "type");
        Require.text(number, "number");
        Require.present(updatedAt, "updatedAt");
        status = status == null ? Status.UNCHECKED : status;
    }

    /** An entry whose DingTalk id has not been checked against the contacts API. */
    public DirectoryEntry(int schemaVersion, Type type, String number, String name, String mobile, String userId,
                          Long deptId, Instant updatedAt) {
        this(schemaVersion, type, number, name, mobile, userId, deptId, updatedAt, Status.UNCHECKED, null, null);
    }

    /** This entry as the contacts API just found it. */
    public DirectoryEntry checked(Status newStatus, Instant at) {
        return new DirectoryEntry(schemaVersion, type, number, name, mobile, userId, deptId, at, newStatus, at, managerUserId);
    }

    /** True when the id may receive messages: resolved, and not known to be departed or unknown. */
    public boolean deliverable() {
        return resolved() && status != Status.DEPARTED && status != Status.UNKNOWN;
    }

    /** The record key: {@code person:NUMBER} or {@code department:NUMBER}. */
    public String key() {
        return key(type, number);
    }

    public static String key(Type type, String number) {
        return type.name().toLowerCase(Locale.ROOT) + ":" + number;
    }

    public boolean resolved() {
        return type == Type.PERSON ? userId != null && !userId.isBlank() : deptId != null;
    }
}
