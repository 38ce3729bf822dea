package io.kdpipe.sandbox.dingtalk;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The app's access token: the same one while it is valid (asking again extends it), a new one after. */
final class Tokens {

    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();
    private String current;
    private Instant expiresAt;
    private final List<String> all = new ArrayList<>();

    Tokens(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    synchronized String issue() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(expiresAt)) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            current = HexFormat.of().formatHex(b);
            all.add(current);
        }
        expiresAt = now.plus(ttl);
        return current;
    }

    synchronized long expiresInSeconds() {
        return Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds());
    }

    synchronized boolean valid(String token) {
        return token != null && token.equals(current) && clock.instant().isBefore(expiresAt);
    }

    synchronized void invalidate() {
        current = null;
    }

    synchronized long issued() {
        return all.size();
    }

    synchronized List<String> all() {
        return List.copyOf(all);
    }
}
