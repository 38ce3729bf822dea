package io.kdpipe.notifier;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;

/**
 * What the committed ledger must say about a set of notices: exactly one delivery per notice and
 * recipient. A delivery is a {@code SENT} entry with its own DingTalk task ids; a later entry with the
 * same task ids (a result check's update) is the same delivery, and one with other task ids is a
 * second send that committed.
 */
final class LedgerCheck {

    private LedgerCheck() {
    }

    /** The problems found, one line each; empty when every notice was delivered once to each of its users. */
    static List<String> problems(Collection<Notice> notices, List<DeliveryRecord> ledger) {
        Map<String, Set<List<Long>>> sends = new LinkedHashMap<>();
        for (DeliveryRecord r : ledger) {
            if (r == null || r.status() != DeliveryRecord.Status.SENT) {
                continue;
            }
            for (String user : r.userIds()) {
                sends.computeIfAbsent(r.noticeId() + " to " + user, k -> new LinkedHashSet<>()).add(List.copyOf(r.taskIds()));
            }
        }
        List<String> problems = new ArrayList<>();
        for (Notice n : notices) {
            for (String user : n.recipients().userIds()) {
                Set<List<Long>> s = sends.getOrDefault(n.id() + " to " + user, Set.of());
                if (s.isEmpty()) {
                    problems.add(n.id() + " to " + user + ": no delivery committed");
                } else if (s.size() > 1) {
                    problems.add(n.id() + " to " + user + ": " + s.size() + " deliveries committed, tasks " + s);
                }
            }
        }
        return problems;
    }
}
