package io.kdpipe.extractor.kingdee;

import java.net.URI;
import java.time.Duration;

import io.kdpipe.common.lang.Arguments;

/**
 * One Kingdee site and account to read from.
 *
 * @param baseUrl  the site root, e.g. {@code https://erp.example.com/k3cloud/}; services are below it
 * @param acctId   the data-centre id ({@code acctID}), not the account-set name
 * @param username the Kingdee user the calls run as
 * @param auth     how to log in
 * @param lcid     language of messages; 2052 is Simplified Chinese
 * @param timeout  per-call HTTP timeout
 */
public record KingdeeSite(URI baseUrl, String acctId, String username, KingdeeAuth auth, int lcid, Duration timeout) {

    public KingdeeSite {
        Arguments.requireNonNull("baseUrl", baseUrl, "acctId", acctId, "username", username, "auth", auth, "timeout", timeout);
        String s = baseUrl.toString();
        if (!s.endsWith("/")) {
            baseUrl = URI.create(s + "/");
        }
    }

    /** The URL of a service, e.g. {@code .../Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc}. */
    public URI serviceUrl(String service) {
        return baseUrl.resolve(service + ".common.kdsvc");
    }
}
