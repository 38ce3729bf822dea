package io.kdpipe.transformer.routing;

import io.kdpipe.common.routing.Router;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.transformer.metrics.TransformerMetrics;

/**
 * Routes a change's notice with the shared {@link Router} (the same code {@code kdpipe redrive
 * --reroute} uses) and counts what it found: each directory gap by type and reason, each fallback taken.
 */
public final class RecipientResolver {

    private final Router router;
    private final TransformerMetrics metrics;

    public RecipientResolver(RoutingPolicy policy, TransformerMetrics metrics) {
        this.router = new Router(policy);
        this.metrics = metrics;
    }

    public Router.Routed resolve(Resolution r) {
        Router.Routed routed = router.route(r.change().routing(), r.directory());
        for (Router.Gap gap : routed.gaps()) {
            metrics.unresolved(gap.type().name(), gap.reason().tag());
        }
        if (routed.fallbackUsed()) {
            metrics.fallbackUsed();
        }
        return routed;
    }
}
