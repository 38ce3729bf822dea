package io.kdpipe.notifier.dingtalk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The access token of one app key, cached and refreshed ahead of its expiry. Only one refresh runs at
 * a time: callers that find the token stale wait for the refresh in progress rather than start their own.
 */
final class AccessTokens {

    /** Fetches a token from DingTalk; throws {@link TokenException} when refused or unreachable. */
    @FunctionalInterface
    interface Fetcher {
        Token fetch();
    }

    record Token(String value, Duration ttl) {
        @Override
        public String toString() {
            return "Token[******, ttl=" + ttl + "]";
        }
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final Duration refreshAhead;
    private final DingTalkEvents events;
    private String token;
    private Instant refreshAt = Instant.MIN;

    AccessTokens(Fetcher fetcher, Clock clock, Duration refreshAhead, DingTalkEvents events) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.refreshAhead = refreshAhead;
        this.events = events;
    }

    /** A token believed valid, fetching one when there is none or it is near its expiry. */
    synchronized String current() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            refresh();
        }
        return token;
    }

    /**
     * DingTalk refused {@code rejected}: fetch a new token unless another caller already replaced it.
     * Returns the token to retry with.
     */
    synchronized String replace(String rejected) {
        if (token == null || token.equals(rejected)) {
            refresh();
        }
        return token;
    }

    private void refresh() {
        Token t;
        try {
            t = fetcher.fetch();
        } catch (RuntimeException e) {
            events.tokenRefreshed(false);
            throw e;
        }
        events.tokenRefreshed(true);
        token = t.value();
        // refresh a few minutes early, or at half the lifetime for short-lived tokens
        Duration ahead = refreshAhead.compareTo(t.ttl().dividedBy(2)) < 0 ? refreshAhead : t.ttl().dividedBy(2);
        refreshAt = clock.instant().plus(t.ttl()).minus(ahead);
    }
}
