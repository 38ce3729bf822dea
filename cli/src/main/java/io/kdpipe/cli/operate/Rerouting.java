package io.kdpipe.cli.operate;

import java.util.Map;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.routing.Router;
import io.kdpipe.common.routing.RoutingPolicy;

/**
 * {@code --reroute} of redrive and replay: resolves a notice's recipients again from its routing
 * inputs, the directory as it stands now and the routing policy ({@code KDPIPE_ROUTE_*},
 * {@code KDPIPE_RECIPIENTS_*}, read like the transformer reads them), with the transformer's own
 * {@link Router}. A notice without routing inputs (built before notices carried them, or a digest of
 * differently routed items) keeps its recipients.
 */
final class Rerouting {

    /** What re-routing made of one notice. */
    record Outcome(Notice notice, boolean rerouted) {
        String summary() {
            if (!rerouted) {
                return "kept (no routing inputs)";
            }
            Notice.Recipients r = notice.recipients();
            String to = r.isEmpty() ? "nobody" : String.join(",", r.userIds())
                    + (r.deptIds().isEmpty() ? "" : (r.userIds().isEmpty() ? "" : ",") + "dept:" + String.join(",dept:", r.deptIds()));
            return "to " + to;
        }
    }

    private final Router router;
    private final Map<String, DirectoryEntry> directory;

    private Rerouting(Router router, Map<String, DirectoryEntry> directory) {
        this.router = router;
        this.directory = directory;
    }

    static Rerouting load(RoutingPolicy policy, KafkaAccess kafka) {
        return new Rerouting(new Router(policy), DirectoryStore.latest(kafka));
    }

    Outcome reroute(Notice n) {
        if (n.routing() == null) {
            return new Outcome(n, false);
        }
        Router.Routed routed = router.route(n.routing(), directory::get);
        return new Outcome(n.rerouted(routed.recipients(), routed.routing()), true);
    }

    static String key(Notice n) {
        return Router.groupKey(n.recipients());
    }
}
