package io.kdpipe.common.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;

/**
 * Resolves who receives a notice from its {@link Notice.Routing} inputs, a {@link RoutingPolicy}
 * and the directory as it stands: the kind's targets (by default the salesperson, and on a change
 * of salesperson the previous one too), then the kind's fixed list. When no target reaches anyone,
 * the fallback steps are tried in order. A person whose userid DingTalk's contacts API reported
 * departed or unknown is routed around like one without a userid. Pure: the transformer calls it
 * while building a notice, {@code kdpipe redrive --reroute} and {@code kdpipe replay --reroute}
 * when sending one again, so both decide alike.
 */
public final class Router {

    /** Why a directory target reached nobody. */
    public enum GapReason {
        /** no directory entry for the number */
        MISSING,
        /** an entry without a DingTalk id */
        NO_ID,
        /** DingTalk's contacts API says the user left */
        DEPARTED,
        /** DingTalk's contacts API does not know the userid */
        UNKNOWN;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A Kingdee number that should have reached someone and did not. */
    public record Gap(DirectoryEntry.Type type, String number, GapReason reason) {
        public String key() {
            return DirectoryEntry.key(type, number);
        }
    }

    /**
     * @param recipients    who receives it; {@code unresolved} names every gap ({@code person:XSY009})
     * @param routing       the inputs, with notes saying why where the directory did not simply answer
     * @param gaps          the gaps found, for metrics
     * @param fallbackUsed  whether a fallback step supplied the recipients
     */
    public record Routed(Notice.Recipients recipients, Notice.Routing routing, List<Gap> gaps, boolean fallbackUsed) {
    }

    private final RoutingPolicy policy;

    public Router(RoutingPolicy policy) {
        this.policy = policy;
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /**
     * @param in         the routing inputs
     * @param directory  directory entry by key ({@code person:XSY001}, {@code department:BM01}); null when absent
     */
    public Routed route(Notice.Routing in, Function<String, DirectoryEntry> directory) {
        Resolution r = new Resolution(in, directory);
        for (RoutingPolicy.Target target : policy.route(in.kind())) {
            switch (target) {
                case SALESPERSON -> r.person(in.salesperson(), "salesperson");
                case PREVIOUS_SALESPERSON -> {
                    if (in.previousSalesperson() != null) {
                        r.person(in.previousSalesperson(), "previous salesperson");
                    }
                }
                case DEPARTMENT -> r.department(false);
                case DEPARTMENT_MANAGER -> r.manager(false);
            }
        }
        if (in.salesperson() == null && policy.route(in.kind()).contains(RoutingPolicy.Target.SALESPERSON)) {
            r.notes.add("the row has no salesperson");
        }
        boolean reached = !r.users.isEmpty() || !r.depts.isEmpty();
        RecipientList fixed = policy.fixed(in.kind());
        r.users.addAll(fixed.userIds());
        r.depts.addAll(fixed.deptIds());
        boolean fallbackUsed = false;
        if (!reached) {
            for (RoutingPolicy.Step step : policy.fallback()) {
                fallbackUsed = switch (step) {
                    case DEPARTMENT_MANAGER -> r.manager(true);
                    case DEPARTMENT -> r.department(true);
                    case LIST -> r.list(policy.fallbackList());
                };
                if (fallbackUsed) {
                    break;
                }
            }
            if (!fallbackUsed) {
                r.notes.add(policy.fallback().isEmpty() ? "no fallback is configured (KDPIPE_ROUTE_FALLBACK)"
                        : "no fallback step (" + steps() + ") reached anyone");
            }
        }
        Notice.Recipients recipients = new Notice.Recipients(List.copyOf(r.users), List.copyOf(r.depts),
                List.copyOf(r.unresolved));
        return new Routed(recipients, in.withNotes(r.notes), List.copyOf(r.gaps), fallbackUsed);
    }

    private String steps() {
        return String.join(", ", policy.fallback().stream().map(s -> s.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }

    /**
     * The output key: one value per distinct recipient set, so a group's notices share a partition
     * and stay in order, and a digest gathers exactly the notices that go to the same people.
     */
    public static String groupKey(Notice.Recipients recipients) {
        String canonical = "u:" + String.join(",", recipients.userIds()) + "|d:" + String.join(",", recipients.deptIds());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "rg-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One resolution's working state. */
    private static final class Resolution {
        private final Notice.Routing in;
        private final Function<String, DirectoryEntry> directory;
        private final TreeSet<String> users = new TreeSet<>();
        private final TreeSet<String> depts = new TreeSet<>();
        private final TreeSet<String> unresolved = new TreeSet<>();
        private final List<String> notes = new ArrayList<>();
        private final List<Gap> gaps = new ArrayList<>();
        private DirectoryEntry department;
        private boolean departmentLooked;
        private boolean departmentGapNoted;

        Resolution(Notice.Routing in, Function<String, DirectoryEntry> directory) {
            this.in = in;
            this.directory = directory;
        }

        void person(String number, String role) {
            if (number == null) {
                return;
            }
            DirectoryEntry e = directory.apply(DirectoryEntry.key(DirectoryEntry.Type.PERSON, number));
            if (e == null) {
                gap(DirectoryEntry.Type.PERSON, number, GapReason.MISSING, role + " " + number + " is not in the directory");
            } else if (!e.resolved()) {
                gap(DirectoryEntry.Type.PERSON, number, GapReason.NO_ID, role + " " + number + named(e) + " has no DingTalk userid");
            } else if (!e.deliverable()) {
                GapReason reason = e.status() == DirectoryEntry.Status.DEPARTED ? GapReason.DEPARTED : GapReason.UNKNOWN;
                gap(DirectoryEntry.Type.PERSON, number, reason, role + " " + number + named(e) + " not sent to: DingTalk's contacts "
                        + (reason == GapReason.DEPARTED ? "say userid " + e.userId() + " has left the organisation"
                        : "do not know userid " + e.userId())
                        + (e.checkedAt() == null ? "" : " (checked " + e.checkedAt() + ")"));
            } else {
                users.add(e.userId());
            }
        }

        /** Adds the department; true when it could. */
        boolean department(boolean asFallback) {
            DirectoryEntry d = lookUpDepartment();
            if (d == null || !d.deliverable()) {
                if (d != null) {
                    departmentGap(d.resolved() ? GapReason.UNKNOWN : GapReason.NO_ID, d.resolved()
                            ? " is not known to DingTalk's contacts" : " has no DingTalk department id");
                }
                return false;
            }
            depts.add(String.valueOf(d.deptId()));
            if (asFallback) {
                notes.add("fallback: the whole department " + in.department() + named(d) + " (DingTalk department " + d.deptId() + ")");
            }
            return true;
        }

        /** Adds the department's manager; true when it could. */
        boolean manager(boolean asFallback) {
            DirectoryEntry d = lookUpDepartment();
            if (d == null) {
                return false;
            }
            if (d.managerUserId() == null || d.managerUserId().isBlank()) {
                notes.add("department " + in.department() + named(d) + " has no manager in the directory");
                return false;
            }
            users.add(d.managerUserId());
            if (asFallback) {
                notes.add("fallback: " + d.managerUserId() + ", manager of department " + in.department() + named(d));
            }
            return true;
        }

        boolean list(RecipientList fallback) {
            if (fallback.isEmpty()) {
                return false;
            }
            users.addAll(fallback.userIds());
            depts.addAll(fallback.deptIds());
            notes.add("fallback: KDPIPE_RECIPIENTS_FALLBACK");
            return true;
        }

        /** The department's entry; null (and a gap, noted once) when the row has one the directory lacks. */
        private DirectoryEntry lookUpDepartment() {
            if (!departmentLooked) {
                departmentLooked = true;
                if (in.department() != null) {
                    department = directory.apply(DirectoryEntry.key(DirectoryEntry.Type.DEPARTMENT, in.department()));
                    if (department == null) {
                        departmentGap(GapReason.MISSING, " is not in the directory");
                    }
                }
            }
            return department;
        }

        private void departmentGap(GapReason reason, String what) {
            if (!departmentGapNoted) {
                departmentGapNoted = true;
                gap(DirectoryEntry.Type.DEPARTMENT, in.department(), reason, "department " + in.department()
                        + (department == null ? "" : named(department)) + what);
            }
        }

        private void gap(DirectoryEntry.Type type, String number, GapReason reason, String note) {
            Gap g = new Gap(type, number, reason);
            gaps.add(g);
            unresolved.add(g.key());
            notes.add(note);
        }

        private static String named(DirectoryEntry e) {
            return e.name() == null ? "" : " (" + e.name() + ")";
        }
    }
}
