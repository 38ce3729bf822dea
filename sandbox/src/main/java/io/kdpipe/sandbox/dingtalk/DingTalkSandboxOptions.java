package io.kdpipe.sandbox.dingtalk;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.common.lang.Arguments;

/**
 * How a {@link DingTalkSandbox} behaves. The defaults are DingTalk's standard-edition limits.
 *
 * @param port             port to listen on; 0 picks a free one
 * @param appKey           the app key {@code gettoken} accepts
 * @param appSecret        the app secret {@code gettoken} accepts
 * @param agentId          the only agent_id {@code asyncsend_v2} accepts
 * @param tokenTtl         how long an access token stays valid
 * @param qps              calls per second per API before {@code 88}/{@code 90018}
 * @param perUserDailyCap  messages per user per day before {@code 143105}
 * @param monthlyQuota     counted calls per month before {@code 90020}
 * @param zone             the zone whose days and months the limits count in
 * @param users            who exists in the organisation, departed people included
 * @param clock            time for tokens, days and months
 * @param invalidUsers     how {@code asyncsend_v2} answers an unknown or departed userid
 * @param resultDelay      how long after a send {@code getsendresult} still reports the task as unfinished
 *                         (every list empty)
 * @param departments      the organisation's departments, for the contacts API
 */
public record DingTalkSandboxOptions(
        int port,
        String appKey,
        String appSecret,
        long agentId,
        Duration tokenTtl,
        int qps,
        int perUserDailyCap,
        int monthlyQuota,
        ZoneId zone,
        List<SandboxUser> users,
        Clock clock,
        InvalidUsers invalidUsers,
        Duration resultDelay,
        List<SandboxDepartment> departments) {

    /** How a send naming an unknown or departed userid is answered; DingTalk's documentation allows both. */
    public enum InvalidUsers {
        /**
         * As DingTalk does in practice: {@code errcode 0} with a {@code task_id}, and the userid appears
         * later in {@code getsendresult}'s {@code invalid_user_id_list}. The default.
         */
        ACCEPT_AND_REPORT,
        /** The whole call is refused with {@code 33012}. */
        REFUSE_33012
    }

    public DingTalkSandboxOptions {
        Arguments.requireNonNull("appKey", appKey, "appSecret", appSecret, "tokenTtl", tokenTtl, "zone", zone, "clock", clock);
        users = List.copyOf(users);
        Arguments.requireNonNull("invalidUsers", invalidUsers, "resultDelay", resultDelay);
        departments = List.copyOf(departments);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sandbox users {@code user-0001} … {@code user-NNNN} with mobiles {@code 1380000NNNN}. */
    public static List<SandboxUser> numberedUsers(int count) {
        List<SandboxUser> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(SandboxUser.of(String.format("user-%04d", i), "用户" + i, String.format("1380000%04d", i)));
        }
        return out;
    }

    public static final class Builder {
        private int port;
        private String appKey = "sandbox-app-key";
        private String appSecret = "sandbox-app-secret";
        private long agentId = 3_000_000_001L;
        private Duration tokenTtl = Duration.ofHours(2);
        private int qps = 20;
        private int perUserDailyCap = 500;
        private int monthlyQuota = 5_000;
        private ZoneId zone = ZoneId.of("Asia/Shanghai");
        private final List<SandboxUser> users = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private InvalidUsers invalidUsers = InvalidUsers.ACCEPT_AND_REPORT;
        private Duration resultDelay = Duration.ofSeconds(30);
        private final List<SandboxDepartment> departments = new ArrayList<>();

        public Builder port(int port) { this.port = port; return this; }
        public Builder appKey(String appKey) { this.appKey = appKey; return this; }
        public Builder appSecret(String appSecret) { this.appSecret = appSecret; return this; }
        public Builder agentId(long agentId) { this.agentId = agentId; return this; }
        public Builder tokenTtl(Duration tokenTtl) { this.tokenTtl = tokenTtl; return this; }
        public Builder qps(int qps) { this.qps = qps; return this; }
        public Builder perUserDailyCap(int cap) { this.perUserDailyCap = cap; return this; }
        public Builder monthlyQuota(int quota) { this.monthlyQuota = quota; return this; }
        public Builder zone(ZoneId zone) { this.zone = zone; return this; }
        public Builder user(SandboxUser user) { this.users.add(user); return this; }
        public Builder users(List<SandboxUser> users) { this.users.addAll(users); return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder invalidUsers(InvalidUsers answer) { this.invalidUsers = answer; return this; }
        public Builder resultDelay(Duration delay) { this.resultDelay = delay; return this; }
        public Builder department(SandboxDepartment department) { this.departments.add(department); return this; }

        public DingTalkSandboxOptions build() {
            return new DingTalkSandboxOptions(port, appKey, appSecret, agentId, tokenTtl, qps, perUserDailyCap, monthlyQuota,
                    zone, users, clock, invalidUsers, resultDelay, departments);
        }
    }
}
