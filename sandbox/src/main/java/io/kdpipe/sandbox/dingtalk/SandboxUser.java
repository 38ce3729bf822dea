package io.kdpipe.sandbox.dingtalk;

import java.util.List;
import java.util.Objects;

/**
 * A person the DingTalk sandbox knows.
 *
 * @param userId   the DingTalk userid
 * @param name     display name
 * @param mobile   mobile number, for {@code getbymobile}
 * @param inScope  whether the app may message this person; sends to someone outside the app's
 *                 visibility scope are refused with {@code 88}/{@code 60011} (no permission)
 * @param departed whether the person has left the organisation: the contacts API no longer finds
 *                 them ({@code 60121}), and messages to them reach nobody
 * @param deptIds  the DingTalk departments the person belongs to
 */
public record SandboxUser(String userId, String name, String mobile, boolean inScope, boolean departed, List<Long> deptIds) {

    public SandboxUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mobile, "mobile");
        deptIds = deptIds == null ? List.of() : List.copyOf(deptIds);
    }

    public SandboxUser(String userId, String name, String mobile, boolean inScope) {
        this(userId, name, mobile, inScope, false, List.of());
    }

    /** A user in the app's scope. */
    public static SandboxUser of(String userId, String name, String mobile) {
        return new SandboxUser(userId, name, mobile, true);
    }

    /** This person after leaving the organisation. */
    public SandboxUser leave() {
        return new SandboxUser(userId, name, mobile, inScope, true, deptIds);
    }

    /** This person as a member again (rejoined, or the account restored). */
    public SandboxUser rejoin() {
        return new SandboxUser(userId, name, mobile, inScope, false, deptIds);
    }

    public SandboxUser inDepartments(List<Long> ids) {
        return new SandboxUser(userId, name, mobile, inScope, departed, ids);
    }
}
