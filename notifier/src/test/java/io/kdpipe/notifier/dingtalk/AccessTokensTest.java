package io.kdpipe.notifier.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.kdpipe.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-02T01:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();

    private AccessTokens tokens(Duration ttl) {
        return new AccessTokens(() -> new AccessTokens.Token("t" + fetches.incrementAndGet(), ttl), clock, Duration.ofMinutes(5),
                DingTalkEvents.NONE);
    }

    @Test
    void shouldCacheTheTokenAndRefreshItAheadOfExpiry() {
        AccessTokens tokens = tokens(Duration.ofHours(2));
        assertThat(tokens.current()).isEqualTo("t1");
        clock.advance(Duration.ofMinutes(114));
        assertThat(tokens.current()).as("still cached 6 minutes before expiry").isEqualTo("t1");
        clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.current()).as("refreshed 4 minutes before expiry").isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldRefreshShortLivedTokensAtHalfTheirLifetime() {
        AccessTokens tokens = tokens(Duration.ofSeconds(60));
        tokens.current();
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.current()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.current()).isEqualTo("t2");
    }

    @Test
    void shouldReplaceARejectedTokenOnlyOnce() {
        AccessTokens tokens = tokens(Duration.ofHours(2));
        String rejected = tokens.current();
        assertThat(tokens.replace(rejected)).isEqualTo("t2");
        assertThat(tokens.replace(rejected)).as("another caller already replaced it").isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldTryAgainAfterAFailedFetch() {
        AtomicInteger calls = new AtomicInteger();
        AccessTokens tokens = new AccessTokens(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new TokenException(Verdict.noAnswer("IO_ERROR", "down"));
            }
            return new AccessTokens.Token("ok", Duration.ofHours(2));
        }, clock, Duration.ofMinutes(5), DingTalkEvents.NONE);
        assertThatThrownBy(tokens::current).isInstanceOf(TokenException.class);
        assertThat(tokens.current()).isEqualTo("ok");
        assertThat(new AccessTokens.Token("secret-token", Duration.ofHours(2)).toString()).doesNotContain("secret-token");
    }
}
