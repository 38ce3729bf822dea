package io.kdpipe.cli.operate;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.routing.RoutingPolicy;
import picocli.CommandLine.Option;

/** {@code --reroute} of redrive and replay; what re-routing does is {@link Rerouting}'s. */
final class RerouteOption {

    @Option(names = "--reroute", description = "resolve the recipients again from the current directory and the routing "
            + "settings (KDPIPE_ROUTE_*, KDPIPE_RECIPIENTS_*, as the transformer reads them) instead of sending to the "
            + "original ones; a notice that still reaches nobody is not sent (a dead letter stays where it is)")
    boolean requested;

    /**
     * With {@code --reroute}, the routing policy, read into {@code reader} (validated by the caller, with
     * the other settings); else null.
     */
    RoutingPolicy policy(ConfigReader reader) {
        return requested ? RoutingPolicy.read(reader) : null;
    }
}
