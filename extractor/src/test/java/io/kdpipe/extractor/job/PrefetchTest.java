package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class PrefetchTest {

    @Test
    void shouldReadAheadOnItsOwnThreadAndHandOverTheResult() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            AtomicReference<String> thread = new AtomicReference<>();
            Prefetch.Pending<String> pending = prefetch.start(() -> {
                thread.set(Thread.currentThread().getName());
                return "page";
            });
            assertThat(pending.get()).isEqualTo("page");
            assertThat(thread.get()).isEqualTo("prefetch-test");
        }
    }

    @Test
    void shouldThrowWhatTheReadThrewWhenCollected() {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            IllegalArgumentException failure = new IllegalArgumentException("unreadable row");
            Prefetch.Pending<String> pending = prefetch.start(() -> {
                throw failure;
            });
            assertThatThrownBy(pending::get).isSameAs(failure);
        }
    }

    @Test
    void shouldInterruptACancelledRead() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Prefetch.Pending<String> pending = prefetch.start(() -> blockUntilInterrupted(started, interrupted));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            pending.cancel();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(pending::get).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void shouldInterruptTheReadWhenTheWaitingJobIsInterrupted() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Prefetch.Pending<String> pending = prefetch.start(() -> blockUntilInterrupted(started, interrupted));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.currentThread().interrupt();
            assertThatThrownBy(pending::get).isInstanceOf(InterruptedException.class);
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldReadInlineOnlyWhenAsked() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Prefetch.Pending<String> pending = Prefetch.inline().start(() -> {
            ran.set(true);
            return Thread.currentThread().getName();
        });
        assertThat(ran).isFalse();
        assertThat(pending.get()).isEqualTo(Thread.currentThread().getName());
    }

    /** A read that never ends by itself: counts {@code started} down, waits, and counts {@code interrupted} down when interrupted. */
    private static String blockUntilInterrupted(CountDownLatch started, CountDownLatch interrupted) throws InterruptedException {
        started.countDown();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
        }
        return "never";
    }
}
