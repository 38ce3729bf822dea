package io.kdpipe.sandbox.kingdee;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import io.kdpipe.common.lang.Arguments;

/**
 * How a {@link KingdeeSandbox} is set up: the credentials it accepts, its seeded customer table and
 * the clock that stamps {@code FModifyDate}.
 *
 * @param port          the port to listen on; 0 picks a free one
 * @param contextPath   the site's path segment, e.g. {@code k3cloud}
 * @param acctId        the data-centre id logins must name
 * @param username      the user logins must name
 * @param password      the password {@code ValidateUser} accepts
 * @param appId         the AppID ({@code <clientId>_<32 base64 chars>}) app-secret, signed and signature-header logins use
 * @param appSecret     the AppSecret those logins use
 * @param customers     how many customers to seed
 * @param useOrgs       the use-organisation numbers customers are spread over
 * @param seed          random seed of the generated data, so a run can be repeated
 * @param zone          the server's local zone; dates are written and filtered in it
 * @param clock         stamps {@code FModifyDate} and friends
 */
public record KingdeeSandboxOptions(
        int port,
        String contextPath,
        String acctId,
        String username,
        String password,
        String appId,
        String appSecret,
        int customers,
        List<String> useOrgs,
        long seed,
        ZoneId zone,
        Clock clock) {

    public static final String DEFAULT_APP_ID = "224890_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4";

    public KingdeeSandboxOptions {
        Arguments.requireNonNull("contextPath", contextPath, "acctId", acctId, "username", username, "password", password,
                "appId", appId, "appSecret", appSecret);
        useOrgs = List.copyOf(useOrgs);
        if (useOrgs.isEmpty()) {
            throw new IllegalArgumentException("at least one use-organisation is needed");
        }
        Arguments.requireNonNull("zone", zone, "clock", clock);
    }

    /** A small site with 100 customers over three organisations, on a free port. */
    public static KingdeeSandboxOptions defaults() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        return new KingdeeSandboxOptions(0, "k3cloud", "5867f8d847e804", "kdpipe", "Kd!pipe-2024", DEFAULT_APP_ID,
                "sandbox-app-secret-0001", 100, List.of("100", "101", "102"), 20240411L, zone, Clock.system(zone));
    }

    public KingdeeSandboxOptions withCustomers(int customers) {
        return new KingdeeSandboxOptions(port, contextPath, acctId, username, password, appId, appSecret, customers, useOrgs, seed, zone, clock);
    }

    public KingdeeSandboxOptions withSeed(long seed) {
        return new KingdeeSandboxOptions(port, contextPath, acctId, username, password, appId, appSecret, customers, useOrgs, seed, zone, clock);
    }

    public KingdeeSandboxOptions withClock(Clock clock) {
        return new KingdeeSandboxOptions(port, contextPath, acctId, username, password, appId, appSecret, customers, useOrgs, seed, clock.getZone(), clock);
    }
}
