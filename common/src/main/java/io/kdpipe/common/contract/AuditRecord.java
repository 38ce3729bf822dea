package io.kdpipe.common.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One operator run that changed something, on {@code kdpipe.audit.v1} keyed by {@link #runId()}.
 * Written by the {@code kdpipe replay} and {@code kdpipe redrive} commands; read back by redrive (to
 * skip dead letters an earlier run already moved), by {@code kdpipe status} and by the trail.
 *
 * @param runId      unique per run
 * @param command    {@code replay} or {@code redrive}
 * @param user       the operating-system user who ran it
 * @param host       the host it ran on
 * @param at         when it finished
 * @param selection  the options that chose the records, as given
 * @param selected   records the selection matched
 * @param done       records re-published (replay) or moved or parked (redrive)
 * @param noticeIds  replay: the original notice ids resent
 * @param resentIds  replay: the ids of the resends, in the order of {@code noticeIds}
 * @param moved      redrive: the dead letters moved back, as {@code topic/partition/offset}
 * @param parked     redrive: the dead letters moved to the parking topic, as {@code topic/partition/offset}
 */
public record AuditRecord(
        int schemaVersion,
        String runId,
        String command,
        String user,
        String host,
        Instant at,
        Map<String, String> selection,
        int selected,
        int done,
        List<String> noticeIds,
        List<String> resentIds,
        List<String> moved,
        List<String> parked) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<AuditRecord> CODEC = new Codec<>(AuditRecord.class, VERSION);
    /** {@code command} of a replay run. */
    public static final String REPLAY = "replay";
    /** {@code command} of a redrive run. */
    public static final String REDRIVE = "redrive";

    public AuditRecord {
        selection = selection == null ? Map.of() : Map.copyOf(selection);
        noticeIds = noticeIds == null ? List.of() : List.copyOf(noticeIds);
        resentIds = resentIds == null ? List.of() : List.copyOf(resentIds);
        moved = moved == null ? List.of() : List.copyOf(moved);
        parked = parked == null ? List.of() : List.copyOf(parked);
    }
}
