package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    @Test
    void shouldReadEachPageOfAChainBeforeItIsCollectedWithAtMostTwoWaiting() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            List<Integer> started = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Thread> reader = new AtomicReference<>();
            Prefetch.Pending<Integer> pages = prefetch.chain(1, page -> {
                reader.set(Thread.currentThread());
                started.add(page);
                return page;
            }, page -> page < 6 ? page + 1 : null);

            assertThat(pages.get()).isEqualTo(1);
            // the job holds page 1 and asks for nothing: pages 2 and 3 are read anyway, then the reader waits
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> started.size() == 3 && reader.get().getState() == Thread.State.WAITING);
            assertThat(started).containsExactly(1, 2, 3);
            assertThat(pages.get()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 4);
            for (int page = 3; page <= 6; page++) {
                assertThat(pages.get()).isEqualTo(page);
            }
            assertThatThrownBy(pages::get).isInstanceOf(IllegalStateException.class);
            assertThat(started).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    @Test
    void shouldStopAChainAtAPageWithoutCursorAndAtItsFirstFailure() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            Prefetch.Pending<Integer> pages = prefetch.chain(1, page -> page, page -> page == 2 ? null : page + 1);
            assertThat(pages.get()).isEqualTo(1);
            assertThat(pages.get()).isEqualTo(2);
            assertThatThrownBy(pages::get).isInstanceOf(IllegalStateException.class);

            IllegalArgumentException failure = new IllegalArgumentException("unreadable row");
            Prefetch.Pending<Integer> failing = prefetch.chain(1, page -> {
                if (page == 2) {
                    throw failure;
                }
                return page;
            }, page -> page + 1);
            assertThat(failing.get()).isEqualTo(1);
            assertThatThrownBy(failing::get).isSameAs(failure);
            assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldInterruptACancelledChainAndReadNoMore() throws Exception {
        try (Prefetch prefetch = Prefetch.background("prefetch-test")) {
            CountDownLatch secondStarted = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            List<Integer> started = Collections.synchronizedList(new ArrayList<>());
            Prefetch.Pending<Integer> pages = prefetch.chain(1, page -> {
                started.add(page);
                if (page == 2) {
                    secondStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }
                return page;
            }, page -> page + 1);
            assertThat(pages.get()).isEqualTo(1);
            assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();

            pages.cancel();

            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            // a read started after the cancel would run on this thread before the one below
            assertThat(prefetch.start(() -> List.copyOf(started)).get()).containsExactly(1, 2);
        }
    }

    @Test
    void shouldReadAnInlineChainOnlyWhenAsked() throws Exception {
        List<Integer> started = new ArrayList<>();
        Prefetch.Pending<Integer> pages = Prefetch.inline().chain(1, page -> {
            started.add(page);
            return page;
        }, page -> page < 2 ? page + 1 : null);
        assertThat(started).isEmpty();
        assertThat(pages.get()).isEqualTo(1);
        assertThat(started).containsExactly(1);
        assertThat(pages.get()).isEqualTo(2);
        assertThatThrownBy(pages::get).isInstanceOf(IllegalStateException.class);
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
