package io.kdpipe.notifier.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.DirectoryEntry.Status;
import io.kdpipe.notifier.dingtalk.UserLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Free checks of DingTalk userids through the contacts API ({@code user/get}, not counted toward the
 * monthly quota), so a notice to someone unknown or gone costs no counted call and is not mistaken
 * for delivered.
 *
 * <p>A userid's standing comes from, in order: the directory entry, when it records a check newer
 * than any later edit of the entry and within the horizon; this process's own recent finding; a
 * contacts lookup. A userid the contacts API does not find is {@link Status#DEPARTED} when the
 * directory last knew it as a member, {@link Status#UNKNOWN} otherwise (DingTalk answers both with
 * {@code 60121}). Negative findings are trusted only briefly, so a fixed directory or a rejoined
 * person is noticed soon. What a check finds is written back to the directory as
 * {@link DirectoryEntry#checked}.
 */
public final class UserChecks {

    private static final Logger log = LoggerFactory.getLogger(UserChecks.class);
    private static final int MAX_REMEMBERED = 100_000;

    /** What a check found, and when. */
    private record Finding(Status status, Instant at, Long errcode) {
    }

    /**
     * The recipients of one notice after the free check.
     *
     * @param deliverable  userids to send to
     * @param dropped      userids left out, with why (departed or unknown)
     * @param updates      directory entries to write with what the check found
     * @param errcode      the contacts API's errcode for a dropped userid, or null
     * @param lookups      contacts calls made
     */
    public record Screen(List<String> deliverable, Map<String, Status> dropped, List<DirectoryEntry> updates, Long errcode,
                         int lookups) {

        /** The reason to dead-letter with when nobody remains: DEPARTED when everyone left, INVALID_USER otherwise. */
        public String reason() {
            return !dropped.isEmpty() && dropped.values().stream().allMatch(s -> s == Status.DEPARTED) ? "DEPARTED" : "INVALID_USER";
        }
    }

    private final Function<String, UserLookup> lookup;
    private final DirectoryView directory;
    private final Duration horizon;
    private final Duration negativeRecheck;
    private final boolean enabled;
    private final Map<String, Finding> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finding> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private int lookups;

    /**
     * @param horizon          how long a member's check is trusted
     * @param negativeRecheck  how long an "unknown" or "departed" finding is trusted before asking again
     * @param enabled          false: no checks, every userid is sent to
     */
    public UserChecks(Function<String, UserLookup> lookup, DirectoryView directory, Duration horizon, Duration negativeRecheck,
                      boolean enabled) {
        this.lookup = lookup;
        this.directory = directory;
        this.horizon = horizon;
        this.negativeRecheck = negativeRecheck;
        this.enabled = enabled;
    }

    /** Checks {@code userIds} that have not been checked recently; keeps the ones that may receive messages. */
    public Screen screen(List<String> userIds, Instant now) {
        if (!enabled) {
            return new Screen(userIds, Map.of(), List.of(), null, 0);
        }
        List<String> deliverable = new ArrayList<>();
        Map<String, Status> dropped = new LinkedHashMap<>();
        List<DirectoryEntry> updates = new ArrayList<>();
        Long errcode = null;
        int before = lookups;
        for (String u : userIds) {
            Finding f = standing(u, now, updates);
            if (f.status() == Status.DEPARTED || f.status() == Status.UNKNOWN) {
                dropped.put(u, f.status());
                errcode = errcode == null ? f.errcode() : errcode;
            } else {
                deliverable.add(u);
            }
        }
        return new Screen(List.copyOf(deliverable), Map.copyOf(dropped), List.copyOf(updates), errcode, lookups - before);
    }

    /**
     * Checks up to {@code max} directory persons whose last check is older than the horizon (or who
     * were never checked); returns the entries to write.
     */
    public List<DirectoryEntry> sweep(Instant now, int max) {
        List<DirectoryEntry> updates = new ArrayList<>();
        if (!enabled) {
            return updates;
        }
        int checked = 0;
        for (DirectoryEntry e : directory.persons()) {
            if (checked >= max) {
                break;
            }
            if (trusted(e, now) == null) {
                standing(e.userId(), now, updates);
                checked++;
            }
        }
        return updates;
    }

    /** A paid check found {@code userId} not reached: ask the contacts API again next time. */
    public void forget(String userId) {
        recent.remove(userId);
    }

    /** Contacts calls made so far. */
    public int lookups() {
        return lookups;
    }

    private Finding standing(String userId, Instant now, List<DirectoryEntry> updates) {
        List<DirectoryEntry> entries = directory.personsWith(userId);
        DirectoryEntry latest = entries.isEmpty() ? null : entries.get(0);
        Finding fromDirectory = latest == null ? null : trusted(latest, now);
        Finding mine = recent.get(userId);
        if (fromDirectory != null) {
            // this process's own finding of the same standing also knows DingTalk's errcode (e.g. from the sweep)
            return mine != null && mine.status() == fromDirectory.status() && mine.errcode() != null ? mine : fromDirectory;
        }
        if (mine != null && fresh(mine.status(), mine.at(), now) && (latest == null || !latest.updatedAt().isAfter(mine.at()))) {
            return mine;
        }
        UserLookup answer = lookup.apply(userId);
        lookups++;
        Status status = switch (answer.found()) {
            case MEMBER -> Status.ACTIVE;
            case NOT_FOUND -> latest != null && (latest.status() == Status.ACTIVE || latest.status() == Status.DEPARTED)
                    ? Status.DEPARTED : Status.UNKNOWN;
            case NO_ANSWER -> Status.UNCHECKED;
        };
        if (status == Status.UNCHECKED) {
            log.info("The contacts API did not answer for a userid ({}); sending without the check", answer.verdict().reason());
            return new Finding(Status.UNCHECKED, now, null);
        }
        Finding f = new Finding(status, now, answer.verdict().errcode());
        recent.put(userId, f);
        for (DirectoryEntry e : entries) {
            if (e.status() != status || e.checkedAt() == null || e.checkedAt().isBefore(now.minus(horizon.dividedBy(2)))) {
                updates.add(e.checked(status, now));
            }
        }
        return f;
    }

    /** The entry's own check, when it is newer than the entry's last edit and still fresh; otherwise null. */
    private Finding trusted(DirectoryEntry e, Instant now) {
        if (e.status() == Status.UNCHECKED || e.checkedAt() == null || e.updatedAt().isAfter(e.checkedAt())) {
            return null;
        }
        return fresh(e.status(), e.checkedAt(), now) ? new Finding(e.status(), e.checkedAt(), null) : null;
    }

    private boolean fresh(Status status, Instant at, Instant now) {
        Duration trust = status == Status.ACTIVE ? horizon : negativeRecheck;
        return at.plus(trust).isAfter(now);
    }
}
