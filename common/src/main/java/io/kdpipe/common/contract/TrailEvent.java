package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a customer's trail on {@code kdpipe.trail.v1}. The transformer writes one
 * {@link Type#NOTICE} event per notice it builds, in the same transaction as the customer's state and
 * the input offsets, carrying the row behind it (number, organization, phase, {@code FModifyDate},
 * salesperson, the notice's kind) and the notice's id and recipients. The transformer's digest stage
 * reads the notices from here, so the event is keyed by the notice's recipient group
 * ({@code Router.groupKey}) and one group's events meet on one partition; the notice itself travels
 * beside the event, in a record header in the transformer's own binary layout, not in this JSON.
 * Readers find a customer's events by {@link #customerKey()}, never by the record key (events of
 * earlier versions are keyed by the customer key). A row that builds no notice writes nothing here: the
 * trail reader tells why from the row versions on {@code kingdee.customers.v1}. {@link Type#ROW} events
 * (one per row version read) were written by earlier versions and are still read, as are NOTICE events
 * with the notice inside ({@link #notice()}, {@link #digestLine()}), which one earlier version wrote.
 * Deliveries, dead letters, replays and redrives are not copied here: the trail reader joins them in
 * by notice id from the topics that already hold them.
 *
 * @param customerKey  {@code {account}:{FCUSTID}}
 * @param type         row verdict or notice built
 * @param at           the row record's timestamp (when it was extracted)
 * @param number       the customer's {@code FNumber}; null for a tombstone, and on NOTICE events of earlier versions
 * @param org          the use organization's number ({@code FUseOrgId.FNumber}), when the row has one
 * @param phase        the row's phase; null for a tombstone
 * @param modifiedAt   the row's {@code FModifyDate} (for a notice: of the row behind it)
 * @param kinds        ROW: the kinds of change found (empty when suppressed); NOTICE: the notice's kind
 * @param suppressed   ROW: why no notice was built ({@code MODIFY_DATE_ONLY}, {@code SNAPSHOT},
 *                     {@code OUT_OF_ORDER}, …), or null
 * @param salesperson  the row's salesperson number ({@code FSELLER.FNumber}), when set
 * @param noticeId     NOTICE: the notice's id
 * @param noticeKind   NOTICE: its kind
 * @param userIds      NOTICE: DingTalk userids it goes to
 * @param deptIds      NOTICE: DingTalk department ids it goes to
 * @param unresolved   NOTICE: person and department numbers it could not go to ({@code person:XSY007})
 * @param routing      NOTICE: why its recipients are who they are, where the directory did not simply
 *                     answer (gaps, departed users, fallbacks); empty on events written before it was recorded
 * @param notice       NOTICE events of one earlier version only: the notice as built, before any digest;
 *                     null on the events written now (the notice travels in a header) and on ROW events
 * @param digestLine   with {@code notice}: the line the notice becomes in a digest, already escaped for
 *                     its format
 */
public record TrailEvent(
        int schemaVersion,
        String customerKey,
        Type type,
        Instant at,
        String number,
        String org,
        CustomerRow.Phase phase,
        Instant modifiedAt,
        List<String> kinds,
        String suppressed,
        String salesperson,
        String noticeId,
        String noticeKind,
        List<String> userIds,
        List<String> deptIds,
        List<String> unresolved,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> routing,
        @JsonInclude(JsonInclude.Include.NON_NULL) Notice notice,
        @JsonInclude(JsonInclude.Include.NON_NULL) String digestLine) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<TrailEvent> CODEC = new Codec<>(TrailEvent.class, VERSION, TrailEventWriter::encode, null);

    public enum Type { ROW, NOTICE }

    public TrailEvent {
        Require.text(customerKey, "customerKey");
        Require.present(type, "type");
        Require.present(at, "at");
        kinds = Require.list(kinds);
        userIds = Require.list(userIds);
        deptIds = Require.list(deptIds);
        unresolved = Require.list(unresolved);
        routing = Require.list(routing);
    }

    /** An event without the notice inside. */
    public TrailEvent(int schemaVersion, String customerKey, Type type, Instant at, String number, String org,
                      CustomerRow.Phase phase, Instant modifiedAt, List<String> kinds, String suppressed, String salesperson,
                      String noticeId, String noticeKind, List<String> userIds, List<String> deptIds, List<String> unresolved,
                      List<String> routing) {
        this(schemaVersion, customerKey, type, at, number, org, phase, modifiedAt, kinds, suppressed, salesperson, noticeId,
                noticeKind, userIds, deptIds, unresolved, routing, null, null);
    }

    /** An event without routing notes. */
    public TrailEvent(int schemaVersion, String customerKey, Type type, Instant at, String number, String org,
                      CustomerRow.Phase phase, Instant modifiedAt, List<String> kinds, String suppressed, String salesperson,
                      String noticeId, String noticeKind, List<String> userIds, List<String> deptIds, List<String> unresolved) {
        this(schemaVersion, customerKey, type, at, number, org, phase, modifiedAt, kinds, suppressed, salesperson, noticeId,
                noticeKind, userIds, deptIds, unresolved, List.of());
    }

    /** This event without the notice inside (what a trail reader keeps: the notices topic holds the notice). */
    public TrailEvent withoutNotice() {
        return notice == null && digestLine == null ? this : new TrailEvent(schemaVersion, customerKey, type, at, number, org, phase,
                modifiedAt, kinds, suppressed, salesperson, noticeId, noticeKind, userIds, deptIds, unresolved, routing);
    }

    /** What the transformer concluded about one row version. */
    public static TrailEvent row(String customerKey, Instant at, CustomerRow row, List<String> kinds, String suppressed) {
        return new TrailEvent(VERSION, customerKey, Type.ROW, at,
                row == null ? null : row.text("FNumber"),
                row == null ? null : row.useOrg(),
                row == null ? null : row.phase(),
                row == null ? null : row.modifiedAt(),
                kinds, suppressed,
                row == null ? null : row.salesperson(),
                null, null, List.of(), List.of(), List.of());
    }

    /** A notice built about the customer from {@code row}: the row behind it and the notice's id, kind and recipients. */
    public static TrailEvent notice(String customerKey, Notice notice, CustomerRow row) {
        return new TrailEvent(VERSION, customerKey, Type.NOTICE, notice.createdAt(), row.text("FNumber"), row.useOrg(), row.phase(),
                notice.provenance().sourceModifiedAt(), List.of(notice.kind().name()), null, row.salesperson(),
                notice.id(), notice.kind().name(), notice.recipients().userIds(), notice.recipients().deptIds(),
                notice.recipients().unresolved(), notice.routing() == null ? List.of() : notice.routing().notes());
    }

    /** This event with the notice inside, as one earlier version wrote it. */
    public TrailEvent withNotice(Notice notice, String digestLine) {
        return new TrailEvent(schemaVersion, customerKey, type, at, number, org, phase, modifiedAt, kinds, suppressed, salesperson,
                noticeId, noticeKind, userIds, deptIds, unresolved, routing, notice, digestLine);
    }

    /** A notice built about the customer, as earlier versions wrote it: without the notice inside. */
    public static TrailEvent notice(String customerKey, Notice notice) {
        return new TrailEvent(VERSION, customerKey, Type.NOTICE, notice.createdAt(), null, null, null,
                notice.provenance().sourceModifiedAt(), List.of(), null, null,
                notice.id(), notice.kind().name(), notice.recipients().userIds(), notice.recipients().deptIds(),
                notice.recipients().unresolved(), notice.routing() == null ? List.of() : notice.routing().notes());
    }
}
