package io.kdpipe.sandbox.dingtalk;

import java.util.List;
import java.util.Objects;

/**
 * A department the DingTalk sandbox knows, for the contacts API.
 *
 * @param deptId          the DingTalk department id; the organisation's root is {@code 1}
 * @param name            its name
 * @param parentId        the parent department's id; null for the root
 * @param managerUserIds  its managers' userids ({@code dept_manager_userid_list})
 */
public record SandboxDepartment(long deptId, String name, Long parentId, List<String> managerUserIds) {

    public SandboxDepartment {
        Objects.requireNonNull(name, "name");
        managerUserIds = managerUserIds == null ? List.of() : List.copyOf(managerUserIds);
    }
}
