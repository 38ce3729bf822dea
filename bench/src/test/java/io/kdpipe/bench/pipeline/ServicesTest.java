package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ServicesTest {

    @Test
    void awaitPollsInTheCallersThreadUntilTheConditionHolds() {
        Thread caller = Thread.currentThread();
        AtomicInteger polls = new AtomicInteger();
        boolean held = Services.await(Duration.ofSeconds(30), Duration.ofMillis(5), () -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return polls.incrementAndGet() >= 3;
        });
        assertThat(held).isTrue();
        assertThat(polls).hasValue(3);
    }

    @Test
    void awaitAnswersFalseWhenTheTimeoutPassesFirst() {
        assertThat(Services.await(Duration.ofMillis(200), Duration.ofMillis(20), () -> false)).isFalse();
    }
}
