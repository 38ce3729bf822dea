package io.kdpipe.common.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed list of DingTalk recipients, written in config as comma-separated entries: a userid, or
 * {@code dept:<id>} for a department, e.g. {@code zhangwei,lisi,dept:4021}.
 */
public record RecipientList(List<String> userIds, List<String> deptIds) {

    public static final RecipientList EMPTY = new RecipientList(List.of(), List.of());

    public RecipientList {
        userIds = List.copyOf(userIds);
        deptIds = List.copyOf(deptIds);
    }

    public static RecipientList parse(List<String> entries) {
        List<String> users = new ArrayList<>();
        List<String> depts = new ArrayList<>();
        for (String e : entries) {
            if (e.startsWith("dept:")) {
                depts.add(e.substring("dept:".length()).trim());
            } else {
                users.add(e);
            }
        }
        return new RecipientList(users, depts);
    }

    /** Entries that cannot be ids: a department id must be a number. */
    public static List<String> problems(List<String> entries) {
        List<String> problems = new ArrayList<>();
        for (String e : entries) {
            if (e.startsWith("dept:") && !e.substring(5).trim().matches("\\d+")) {
                problems.add("'" + e + "' is not dept:<numeric id>");
            }
        }
        return problems;
    }

    public boolean isEmpty() {
        return userIds.isEmpty() && deptIds.isEmpty();
    }
}
