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
            BlockedRead read = new BlockedRead(prefetch);
            read.pending.cancel();
            assertThat(read.interrupted()).isTrue();
            assertThatThrownBy(read.pending::get).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void shouldInterruptTheReadWhenTheWaitingJobIsInterrupted() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            BlockedRead read = new BlockedRead(prefetch);
            Thread.currentThread().interrupt();
            assertThatThrownBy(read.pending::get).isInstanceOf(InterruptedException.class);
            assertThat(read.interrupted()).isTrue();
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

    /** A read on {@code prefetch} that never ends by itself; constructed once it runs. */
    private static final class BlockedRead {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch interrupted = new CountDownLatch(1);
        final Prefetch.Pending<String> pending;

        BlockedRead(Prefetch prefetch) throws InterruptedException {
            pending = prefetch.start(this::block);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }

        /** Whether the read was interrupted within 10 seconds. */
        boolean interrupted() throws InterruptedException {
            return interrupted.await(10, TimeUnit.SECONDS);
        }

        private String block() throws InterruptedException {
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
}
