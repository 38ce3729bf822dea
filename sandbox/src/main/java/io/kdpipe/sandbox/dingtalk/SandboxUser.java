package io.kdpipe.sandbox.dingtalk;

import java.util.Objects;

/**
 * A person the DingTalk sandbox knows.
 *
 * @param userId   the DingTalk userid
 * @param name     display name
 * @param mobile   mobile number, for {@code getbymobile}
 * @param inScope  whether the app may message this person; sends to someone outside the app's
 *                 visibility scope are refused with {@code 88}/{@code 60011} (no permission)
 */
public record SandboxUser(String userId, String name, String mobile, boolean inScope) {

    public SandboxUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mobile, "mobile");
    }

    /** A user in the app's scope. */
    public static SandboxUser of(String userId, String name, String mobile) {
        return new SandboxUser(userId, name, mobile, true);
    }
}
