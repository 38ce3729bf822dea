package io.kdpipe.transformer.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.metrics.TransformerMetrics;

/**
 * Decides who receives a notice: the salesperson and the sales department as the directory maps
 * them, plus the fixed list of the notice's kind. When neither the salesperson nor the department
 * resolves, the fallback list is added, so someone still hears of the change. Unresolved numbers
 * are counted and named on the notice ({@code person:XSY009}, {@code department:D01}).
 */
public final class RecipientResolver {

    private final Map<Notice.Kind, RecipientList> fixed;
    private final RecipientList fallback;
    private final TransformerMetrics metrics;

    public RecipientResolver(Map<Notice.Kind, RecipientList> fixed, RecipientList fallback, TransformerMetrics metrics) {
        this.fixed = Map.copyOf(fixed);
        this.fallback = fallback;
        this.metrics = metrics;
    }

    public Notice.Recipients resolve(Resolution r) {
        TreeSet<String> users = new TreeSet<>();
        TreeSet<String> depts = new TreeSet<>();
        TreeSet<String> unresolved = new TreeSet<>();
        String seller = r.change().salesperson();
        if (seller != null) {
            if (r.salesperson() != null && r.salesperson().resolved()) {
                users.add(r.salesperson().userId());
            } else {
                unresolved.add(DirectoryEntry.key(DirectoryEntry.Type.PERSON, seller));
                metrics.unresolved(DirectoryEntry.Type.PERSON.name());
            }
        }
        String dept = r.change().department();
        if (dept != null) {
            if (r.department() != null && r.department().resolved()) {
                depts.add(String.valueOf(r.department().deptId()));
            } else {
                unresolved.add(DirectoryEntry.key(DirectoryEntry.Type.DEPARTMENT, dept));
                metrics.unresolved(DirectoryEntry.Type.DEPARTMENT.name());
            }
        }
        boolean resolvedAny = !users.isEmpty() || !depts.isEmpty();
        RecipientList forKind = fixed.getOrDefault(r.change().kind(), RecipientList.EMPTY);
        users.addAll(forKind.userIds());
        depts.addAll(forKind.deptIds());
        if (!resolvedAny && !fallback.isEmpty()) {
            users.addAll(fallback.userIds());
            depts.addAll(fallback.deptIds());
            metrics.fallbackUsed();
        }
        return new Notice.Recipients(List.copyOf(users), List.copyOf(depts), List.copyOf(unresolved));
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
}
