package io.kdpipe.common.trail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;

/**
 * Assembles a {@link Trail} from {@link TrailSources}: the notices the transformer built for the
 * customer with the rows behind them, why its other row versions built nothing, joined by notice id to deliveries, dead letters, resends and the audit log's replays
 * and redrives. The conclusion is the outcome of the most recent event.
 */
public final class TrailStory {

    /**
     * What to tell.
     *
     * @param customer  the customer's {@code FNumber}, or null with {@code noticeId}
     * @param org       the use organization's number to narrow {@code customer} to, or null
     * @param noticeId  one notice's id, or null with {@code customer}
     * @param limit     the most recent events to keep
     * @param window    how far back to look
     */
    public record Query(String customer, String org, String noticeId, int limit, Duration window) {
        public String describe() {
            return noticeId != null ? "notice " + noticeId : "customer " + customer + (org == null ? "" : " (org " + org + ")");
        }
    }

    private final ZoneId zone;
    private final Clock clock;
    private final DateTimeFormatter time;

    public TrailStory(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
        this.time = Trail.formatter(zone);
    }

    /** The story, or empty when the trail knows no such customer or notice. */
    public Optional<Trail> build(TrailSources s, Query q) {
        return new Assembly(s, q).build();
    }

    /** {@code rank} orders events of the same instant: trail events (in topic order), notices, operator runs, outcomes. */
    private record Item(Trail.Entry entry, int rank, long position, int seq, String conclusionIfLast) {
    }

    private final class Assembly {
        private final TrailSources s;
        private final Query q;
        private final Map<String, Notice> notices = new HashMap<>();
        private final Map<String, TrailEvent> built = new HashMap<>();
        private final List<Item> items = new ArrayList<>();
        /** Row version ({@code key|FModifyDate}) → its first position among the rows read. */
        private final Map<String, Integer> positions = new HashMap<>();

        Assembly(TrailSources s, Query q) {
            this.s = s;
            this.q = q;
            s.notices().forEach(n -> notices.putIfAbsent(n.id(), n));
            s.deadLetters().forEach(d -> notices.putIfAbsent(d.notice().id(), d.notice()));
            s.trail().stream().filter(e -> e.type() == TrailEvent.Type.NOTICE).forEach(e -> built.putIfAbsent(e.noticeId(), e));
            for (int i = 0; i < s.rows().size(); i++) {
                TrailSources.RowVersion v = s.rows().get(i);
                positions.putIfAbsent(version(v.customerKey(), v.row() == null ? null : v.row().modifiedAt()), i);
            }
        }

        Optional<Trail> build() {
            Set<String> keys = new TreeSet<>();
            Set<String> ids = new LinkedHashSet<>();
            if (q.noticeId() != null) {
                ids.add(q.noticeId());
                if (notices.containsKey(q.noticeId())) {
                    keys.addAll(notices.get(q.noticeId()).customerKeys());
                } else if (built.containsKey(q.noticeId())) {
                    keys.add(built.get(q.noticeId()).customerKey());
                } else {
                    return Optional.empty();
                }
                notices.values().stream().filter(n -> q.noticeId().equals(n.provenance().replayOf())).forEach(n -> ids.add(n.id()));
            } else {
                // ROW events of earlier versions, NOTICE events (they carry the row), and the row versions
                s.trail().stream()
                        .filter(e -> q.customer().equals(e.number()) && (q.org() == null || q.org().equals(e.org())))
                        .forEach(e -> keys.add(e.customerKey()));
                s.rows().stream()
                        .filter(v -> v.row() != null && q.customer().equals(v.row().text("FNumber"))
                                && (q.org() == null || q.org().equals(v.row().useOrg())))
                        .forEach(v -> keys.add(v.customerKey()));
                if (keys.isEmpty()) {
                    return Optional.empty();
                }
                built.values().stream().filter(e -> keys.contains(e.customerKey())).forEach(e -> ids.add(e.noticeId()));
                notices.values().stream().filter(n -> n.customerKeys().stream().anyMatch(keys::contains)).forEach(n -> ids.add(n.id()));
            }
            rows(keys, ids);
            if (q.noticeId() == null) {
                rowVersions(keys);
            }
            noticesBuilt(ids);
            deliveries(ids);
            Set<String> ourDeadLetters = deadLetters(ids);
            audit(ids, ourDeadLetters);

            items.sort(Comparator.comparing((Item i) -> i.entry().at()).thenComparingInt(Item::rank)
                    .thenComparingLong(Item::position).thenComparingInt(Item::seq));
            Instant since = clock.instant().minus(q.window());
            List<Item> inWindow = items.stream().filter(i -> !i.entry().at().isBefore(since)).toList();
            String conclusion = inWindow.isEmpty()
                    ? "nothing happened within the last " + q.window().toDays() + " day(s)"
                    : conclude(inWindow.get(inWindow.size() - 1));
            int omitted = Math.max(0, inWindow.size() - q.limit());
            List<Trail.Entry> kept = inWindow.subList(omitted, inWindow.size()).stream().map(Item::entry).toList();
            return Optional.of(new Trail(q.describe(), List.copyOf(keys), conclusion, kept, omitted));
        }

        private void rows(Set<String> keys, Set<String> ids) {
            Set<Instant> versions = new HashSet<>();
            if (q.noticeId() != null) {
                ids.stream().map(this::modifiedAt).filter(Objects::nonNull).forEach(versions::add);
            }
            Set<String> rowEvents = new HashSet<>();
            s.trail().stream().filter(e -> e.type() == TrailEvent.Type.ROW).forEach(e -> rowEvents.add(version(e.customerKey(), e.modifiedAt())));
            Set<String> rowLines = new HashSet<>();
            for (TrailEvent e : s.trail()) {
                if (e.type() == TrailEvent.Type.NOTICE && ids.contains(e.noticeId()) && built.get(e.noticeId()) == e) {
                    String version = version(e.customerKey(), e.modifiedAt());
                    // the row behind a notice, once per row version (all its kinds), unless an earlier version's ROW event tells it
                    if (e.number() != null && !rowEvents.contains(version) && rowLines.add(version + "@" + e.at())) {
                        List<String> kinds = s.trail().stream()
                                .filter(o -> o.type() == TrailEvent.Type.NOTICE && o.customerKey().equals(e.customerKey())
                                        && Objects.equals(o.modifiedAt(), e.modifiedAt()) && o.at().equals(e.at()))
                                .flatMap(o -> o.kinds().stream()).distinct().toList();
                        add(e.at(), "row", e.customerKey(), null, head(e.modifiedAt(), e.phase(), e.salesperson()) + ": "
                                + String.join(", ", kinds), 0, position(version), "change found (" + String.join(", ", kinds)
                                + "), no notice built yet");
                    }
                    add(e.at(), "notice", e.customerKey(), e.noticeId(), "notice " + e.noticeId() + " (" + e.noticeKind()
                            + ") built for " + recipients(e.userIds(), e.deptIds()) + routingSuffix(e.routing(), e.unresolved()), 0,
                            position(version), null);
                    continue;
                }
                if (e.type() != TrailEvent.Type.ROW || !keys.contains(e.customerKey())) {
                    continue;
                }
                if (q.noticeId() != null && !versions.contains(e.modifiedAt())) {
                    continue;
                }
                String head = head(e.modifiedAt(), e.phase(), e.salesperson());
                if (e.suppressed() != null) {
                    String why = suppression(e.suppressed());
                    add(e.at(), "suppressed", e.customerKey(), null, head + ": no notice — " + why, 0, "not sent: " + why
                            + (e.modifiedAt() == null ? "" : " (FModifyDate " + time.format(e.modifiedAt()) + ")"));
                } else {
                    add(e.at(), "row", e.customerKey(), null, head + ": " + String.join(", ", e.kinds()), 0,
                            "change found (" + String.join(", ", e.kinds()) + "), no notice built yet");
                }
            }
        }

        /**
         * The row versions on {@code kingdee.customers.v1} that built no notice: why, told the way the
         * change detector decided it (compared with the version before), or that the transformer has not
         * processed them yet. Versions a trail event tells (a notice built, or a ROW event of an earlier
         * version) are left to it.
         */
        private void rowVersions(Set<String> keys) {
            Set<String> told = new HashSet<>();
            Set<String> toldAt = new HashSet<>();
            for (TrailEvent e : s.trail()) {
                if (keys.contains(e.customerKey())) {
                    told.add(version(e.customerKey(), e.modifiedAt()));
                    if (e.type() == TrailEvent.Type.ROW) {
                        toldAt.add(version(e.customerKey(), e.modifiedAt()) + "@" + e.at());
                    }
                }
            }
            Map<String, CustomerRow> last = new HashMap<>();
            for (int i = 0; i < s.rows().size(); i++) {
                TrailSources.RowVersion v = s.rows().get(i);
                String key = v.customerKey();
                if (!keys.contains(key)) {
                    continue;
                }
                CustomerRow row = v.row();
                Instant modifiedAt = row == null ? null : row.modifiedAt();
                CustomerRow before = last.get(key);
                String reason;
                if (row == null) {
                    reason = "TOMBSTONE";
                    last.remove(key);
                } else if (before != null && modifiedAt.isBefore(before.modifiedAt())) {
                    reason = "OUT_OF_ORDER";
                } else {
                    boolean sameContent = before != null && sameButModifyDate(before, row);
                    // as the change detector's state: the version at which the content last changed (a save that
                    // moved only FModifyDate leaves it)
                    if (!sameContent) {
                        last.put(key, row);
                    }
                    if (before != null && modifiedAt.equals(before.modifiedAt())) {
                        reason = "DUPLICATE";
                    } else if (told.contains(version(key, modifiedAt))) {
                        continue; // a notice (or an earlier version's ROW event) tells this version
                    } else if (sameContent) {
                        reason = "MODIFY_DATE_ONLY";
                    } else if (row.phase() == CustomerRow.Phase.SNAPSHOT) {
                        reason = "SNAPSHOT";
                    } else {
                        reason = before == null ? "NO_CHANGE_FOUND" : "UNWATCHED_FIELDS_ONLY";
                    }
                }
                if (toldAt.contains(version(key, modifiedAt) + "@" + v.at())) {
                    continue;
                }
                String head = head(modifiedAt, row == null ? null : row.phase(), row == null ? null : row.salesperson());
                String when = modifiedAt == null ? "" : " (FModifyDate " + time.format(modifiedAt) + ")";
                if (!v.processed()) {
                    add(v.at(), "row", key, null, head + ": not processed by the transformer yet", 0, i,
                            "waiting for the transformer" + when);
                } else {
                    String why = suppression(reason);
                    add(v.at(), "suppressed", key, null, head + ": no notice — " + why, 0, i, "not sent: " + why + when);
                }
            }
        }

        private long position(String version) {
            Integer p = positions.get(version);
            return p == null ? Long.MAX_VALUE : p;
        }

        private String head(Instant modifiedAt, CustomerRow.Phase phase, String salesperson) {
            return modifiedAt == null ? "row deleted"
                    : "row FModifyDate " + time.format(modifiedAt) + " (" + phase + (salesperson == null ? "" : ", salesperson " + salesperson) + ")";
        }

        private void noticesBuilt(Set<String> ids) {
            for (String id : ids) {
                Notice n = notices.get(id);
                if (built.containsKey(id)) {
                    continue; // told from the trail, in its place among the row verdicts
                }
                if (n != null) {
                    String key = n.customerKeys().isEmpty() ? null : n.customerKeys().get(0);
                    if (n.provenance().replayOf() != null) {
                        add(n.createdAt(), "resend", key, id, "resend " + id + " of " + n.provenance().replayOf() + " built for "
                                + recipients(n.recipients().userIds(), n.recipients().deptIds()), 1, null);
                    } else if (n.kind() == Notice.Kind.DIGEST) {
                        add(n.createdAt(), "digest", key, id, "digest " + id + " built for "
                                + recipients(n.recipients().userIds(), n.recipients().deptIds()) + ", listing "
                                + n.customerKeys().size() + " customer(s)", 1, null);
                    } else {
                        add(n.createdAt(), "notice", key, id, "notice " + id + " (" + n.kind() + ") built for "
                                + recipients(n.recipients().userIds(), n.recipients().deptIds())
                                + routingSuffix(n.routing() == null ? List.of() : n.routing().notes(), n.recipients().unresolved()), 1, null);
                    }
                }
            }
        }

        private void deliveries(Set<String> ids) {
            Set<String> deadLettered = s.deadLetters().stream().map(d -> d.notice().id()).collect(Collectors.toSet());
            for (DeliveryRecord d : s.deliveries()) {
                if (!ids.contains(d.noticeId())) {
                    continue;
                }
                String key = keyOf(d.noticeId());
                if (d.quotaMarker()) {
                    continue;
                }
                if (d.status() == DeliveryRecord.Status.SENT) {
                    String to = recipients(d.userIds(), List.of());
                    String tasks = ", task " + tasks(d.taskIds());
                    switch (d.delivery()) {
                        case DELIVERED -> add(d.completedAt(), "delivered", key, d.noticeId(), "delivered " + d.noticeId() + " to "
                                + reachedText(d) + tasks + " (confirmed by getsendresult)" + notReachedSuffix(d), 4, null);
                        case NOT_DELIVERED -> add(d.completedAt(), "not-delivered", key, d.noticeId(), "not delivered "
                                + d.noticeId() + " to " + to + ": " + d.reason() + tasks + " (getsendresult)", 4, null);
                        default -> add(d.completedAt(), "accepted", key, d.noticeId(), "accepted by DingTalk " + d.noticeId()
                                + " for " + to + tasks + ", " + d.attempts() + " attempt(s)"
                                + (d.checkDueAt() == null ? ", delivery not checked" : ", delivery check due " + time.format(d.checkDueAt()))
                                + notReachedSuffix(d), 4, null);
                    }
                } else if (!deadLettered.contains(d.noticeId())) {
                    add(d.completedAt(), "dead-letter", key, d.noticeId(), "dead-lettered " + d.noticeId() + " after "
                            + d.attempts() + " attempt(s)", 3, null);
                }
            }
        }

        private Set<String> deadLetters(Set<String> ids) {
            Set<String> coordinates = new HashSet<>();
            for (TrailSources.DeadLetter d : s.deadLetters()) {
                String id = d.notice().id();
                if (!ids.contains(id)) {
                    continue;
                }
                coordinates.add(d.coordinate());
                add(d.at(), "dead-letter", keyOf(id), id, "dead-lettered " + id + ": " + d.errorClass() + " " + d.reason()
                        + (d.errcode() == null ? "" : " (errcode " + d.errcode() + ")")
                        + (d.message() == null ? "" : " — " + d.message()), 3, null);
            }
            return coordinates;
        }

        private void audit(Set<String> ids, Set<String> coordinates) {
            Map<String, String> idAt = new HashMap<>();
            s.deadLetters().forEach(d -> idAt.put(d.coordinate(), d.notice().id()));
            for (AuditRecord a : s.audit()) {
                Instant at = a.at() != null ? a.at() : clock.instant();
                String who = orUnknown(a.user()) + "@" + orUnknown(a.host()) + ", run " + a.runId();
                if (AuditRecord.REPLAY.equals(a.command())) {
                    List<String> originals = a.noticeIds();
                    List<String> resends = a.resentIds();
                    for (int i = 0; i < originals.size(); i++) {
                        String original = originals.get(i);
                        String resent = i < resends.size() ? resends.get(i) : null;
                        if (ids.contains(original) || (resent != null && ids.contains(resent))) {
                            add(at, "replay", keyOf(original), resent != null ? resent : original, "replayed " + original
                                    + (resent == null ? "" : " as " + resent) + " by " + who, 2, null);
                        }
                    }
                } else if (AuditRecord.REDRIVE.equals(a.command())) {
                    for (String m : a.moved()) {
                        if (coordinates.contains(m)) {
                            String id = idAt.get(m);
                            add(at, "redrive", keyOf(id), id, "dead letter of " + id + " redriven to the notices topic by " + who
                                    + (Boolean.parseBoolean(a.selection().get("reroute")) ? rerouted(id) : ""), 2, null);
                        }
                    }
                    for (String m : a.parked()) {
                        if (coordinates.contains(m)) {
                            String id = idAt.get(m);
                            add(at, "redrive", keyOf(id), id, "dead letter of " + id + " parked (redriven too often) by " + who, 2,
                                    "parked: " + id + " failed after repeated redrives; see kdpipe.deadletters.parked.v1");
                        }
                    }
                }
            }
        }

        private static String orUnknown(String value) {
            return value == null ? "?" : value;
        }

        /** The outcome of the last event: a suppression, or where its notice stands now. */
        private String conclude(Item last) {
            if (last.conclusionIfLast() != null) {
                return last.conclusionIfLast();
            }
            String id = last.entry().noticeId();
            Item latest = last;
            for (Item i : items) {
                if (id.equals(i.entry().noticeId()) && i.entry().at().compareTo(latest.entry().at()) >= 0) {
                    latest = i;
                }
            }
            Notice n = notices.get(id);
            String replayOf = n == null ? null : n.provenance().replayOf();
            String origin = replayOf == null ? "" : " (resend of " + replayOf + ")";
            Notice rerouted = reroutedCopy(id);
            List<String> unresolved = rerouted != null ? rerouted.recipients().unresolved() : unresolved(id);
            String when = time.format(latest.entry().at());
            return switch (latest.entry().type()) {
                case "delivered" -> {
                    DeliveryRecord d = lastSent(id);
                    yield "delivered to " + reachedText(d) + " " + when + ", task " + tasks(d.taskIds()) + origin
                            + notReachedSuffix(d) + (unresolved.isEmpty() ? "" : "; not sent to: " + unresolvedText(unresolved));
                }
                case "accepted" -> {
                    DeliveryRecord d = lastSent(id);
                    yield "accepted by DingTalk for " + recipients(d.userIds(), List.of()) + " " + when + ", task " + tasks(d.taskIds())
                            + origin + "; not confirmed as delivered" + (d.checkDueAt() == null ? "" : " yet")
                            + notReachedSuffix(d) + (unresolved.isEmpty() ? "" : "; not sent to: " + unresolvedText(unresolved));
                }
                case "not-delivered" -> {
                    DeliveryRecord d = lastSent(id);
                    yield "not delivered to " + recipients(d.userIds(), List.of()) + ": " + d.reason() + " (getsendresult " + when
                            + ")" + origin + ", dead-lettered, waiting for a redrive";
                }
                case "dead-letter" -> {
                    TrailSources.DeadLetter d = s.deadLetters().stream().filter(x -> x.notice().id().equals(id))
                            .reduce((a, b) -> b).orElse(null);
                    if (d != null && "NO_RECIPIENTS".equals(d.reason()) && !unresolved.isEmpty()) {
                        yield "not sent: " + gapText(id, unresolved);
                    }
                    yield "dead-lettered " + when + ": " + (d == null ? "" : d.reason()
                            + (d.errcode() == null ? "" : " (errcode " + d.errcode() + ")")) + origin + ", waiting for a redrive";
                }
                case "redrive" -> "redriven " + when + ", waiting for the notifier to send " + id;
                case "replay" -> "resent by replay " + when + " as " + id + ", waiting for the notifier";
                default -> {
                    boolean none = n != null ? n.recipients().isEmpty()
                            : built.get(id) != null && built.get(id).userIds().isEmpty() && built.get(id).deptIds().isEmpty();
                    yield none && !unresolved.isEmpty() ? "not sent: " + gapText(id, unresolved)
                            : "notice " + id + " built " + when + origin + ", not delivered yet";
                }
            };
        }

        private DeliveryRecord lastSent(String id) {
            return s.deliveries().stream().filter(r -> r.noticeId().equals(id) && r.status() == DeliveryRecord.Status.SENT)
                    .reduce((a, b) -> b).orElseThrow();
        }

        /** Who the message reached, by getsendresult: every recipient it did not report as not reached. */
        private String reachedText(DeliveryRecord d) {
            List<String> missed = notReached(d);
            return recipients(d.userIds().stream().filter(u -> !missed.contains(u)).toList(), List.of());
        }

        private String notReachedSuffix(DeliveryRecord d) {
            List<String> missed = notReached(d);
            return missed.isEmpty() ? "" : "; not received by " + recipients(missed, List.of());
        }

        private List<String> notReached(DeliveryRecord d) {
            if (d.verification() == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>(d.verification().invalidUserIds());
            out.addAll(d.verification().forbiddenUserIds());
            out.addAll(d.verification().failedUserIds());
            return out;
        }

        private List<String> unresolved(String id) {
            if (built.containsKey(id)) {
                return built.get(id).unresolved();
            }
            Notice n = notices.get(id);
            if (n == null) {
                return List.of();
            }
            if (!n.recipients().unresolved().isEmpty() || n.provenance().replayOf() == null) {
                return n.recipients().unresolved();
            }
            return unresolved(n.provenance().replayOf());
        }

        /** ", re-routed to …": the copy of the notice a re-routed redrive wrote. */
        private String rerouted(String id) {
            Notice copy = reroutedCopy(id);
            return copy == null ? ", re-routed to the same recipients"
                    : ", re-routed to " + recipients(copy.recipients().userIds(), copy.recipients().deptIds());
        }

        /** The latest copy of the notice on the notices topic with other recipients than it was built with (re-routed); or null. */
        private Notice reroutedCopy(String id) {
            TrailEvent b = built.get(id);
            Notice first = notices.get(id);
            List<String> users = b != null ? b.userIds() : first == null ? List.of() : first.recipients().userIds();
            List<String> depts = b != null ? b.deptIds() : first == null ? List.of() : first.recipients().deptIds();
            Notice latest = null;
            for (Notice n : s.notices()) {
                if (n.id().equals(id) && (!n.recipients().userIds().equals(users) || !n.recipients().deptIds().equals(depts))) {
                    latest = n;
                }
            }
            return latest;
        }

        /** The notice's routing notes where it has them (they say why), else its unresolved numbers told plainly. */
        private String gapText(String id, List<String> unresolved) {
            List<String> notes = built.containsKey(id) ? built.get(id).routing()
                    : notices.get(id) != null && notices.get(id).routing() != null ? notices.get(id).routing().notes() : List.of();
            return notes.isEmpty() ? unresolvedText(unresolved) : String.join("; ", notes);
        }

        private Instant modifiedAt(String id) {
            if (built.containsKey(id)) {
                return built.get(id).modifiedAt();
            }
            Notice n = notices.get(id);
            return n == null ? null : n.provenance().sourceModifiedAt();
        }

        private String keyOf(String id) {
            if (id != null && built.containsKey(id)) {
                return built.get(id).customerKey();
            }
            Notice n = id == null ? null : notices.get(id);
            return n == null || n.customerKeys().isEmpty() ? null : n.customerKeys().get(0);
        }

        private String recipients(List<String> userIds, List<String> deptIds) {
            List<String> out = new ArrayList<>();
            for (String u : userIds) {
                String name = s.names().get(u);
                out.add(name == null ? u : name + " (" + u + ")");
            }
            deptIds.forEach(d -> out.add("department " + d));
            return out.isEmpty() ? "nobody" : String.join(", ", out);
        }

        private void add(Instant at, String type, String key, String noticeId, String text, int rank, String conclusionIfLast) {
            add(at, type, key, noticeId, text, rank, Long.MAX_VALUE, conclusionIfLast);
        }

        /** {@code position}: among the trail's own lines of one instant, where the row version they tell stands on the rows topic. */
        private void add(Instant at, String type, String key, String noticeId, String text, int rank, long position,
                String conclusionIfLast) {
            items.add(new Item(new Trail.Entry(at, type, key, noticeId, text), rank, position, items.size(), conclusionIfLast));
        }
    }

    private static String unresolvedSuffix(List<String> unresolved) {
        return unresolved.isEmpty() ? "" : "; unresolved: " + unresolvedText(unresolved);
    }

    /** The routing notes of a notice (why its recipients are who they are), or its unresolved numbers. */
    private static String routingSuffix(List<String> notes, List<String> unresolved) {
        return notes.isEmpty() ? unresolvedSuffix(unresolved) : "; routing: " + String.join("; ", notes);
    }

    /** {@code person:XSY007} → "salesperson XSY007 has no DingTalk userid". */
    static String unresolvedText(List<String> unresolved) {
        return unresolved.stream().map(u -> {
            if (u.startsWith("person:")) {
                return "salesperson " + u.substring("person:".length()) + " has no DingTalk userid";
            }
            if (u.startsWith("department:")) {
                return "department " + u.substring("department:".length()) + " has no DingTalk department id";
            }
            return u + " has no DingTalk id";
        }).collect(Collectors.joining("; "));
    }

    private static String version(String customerKey, Instant modifiedAt) {
        return customerKey + "|" + modifiedAt;
    }

    private static boolean sameButModifyDate(CustomerRow a, CustomerRow b) {
        Map<String, JsonNode> x = new HashMap<>(a.fields());
        Map<String, JsonNode> y = new HashMap<>(b.fields());
        x.remove("FModifyDate");
        y.remove("FModifyDate");
        return x.equals(y);
    }

    static String suppression(String reason) {
        return switch (reason) {
            case "DUPLICATE" -> "the same row version again";
            case "MODIFY_DATE_ONLY" -> "noise-only edit (only FModifyDate moved)";
            case "UNWATCHED_FIELDS_ONLY" -> "noise-only edit (no watched field changed)";
            case "SNAPSHOT" -> "snapshot row, stored silently (KDPIPE_NOTIFY_SNAPSHOT=false)";
            case "OUT_OF_ORDER" -> "out of order (older FModifyDate than the last change already seen)";
            case "TOMBSTONE" -> "customer deleted from kingdee.customers.v1";
            case "NO_CHANGE_FOUND" -> "no change a person is told about (the version before is no longer on kingdee.customers.v1)";
            default -> reason;
        };
    }

    private static String tasks(List<Long> taskIds) {
        return taskIds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    ZoneId zone() {
        return zone;
    }
}
