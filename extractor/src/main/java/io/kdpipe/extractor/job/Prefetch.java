package io.kdpipe.extractor.job;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Reads the next page while the current one is being committed. Keyset paging needs only the last
 * key of a page to ask for the next, so a job hands the next page's read to this one background
 * thread as soon as a page is parsed, and collects it after the page's transaction committed.
 * A {@link #chain} goes further: each page read starts the read of the page after it at once, on this
 * thread, so the next query never waits for the job to finish committing; at most two pages wait to
 * be collected.
 *
 * <p>A prefetched page is only ever used after the page before it committed; a read that failed
 * throws its error when collected, and the job resumes from its committed checkpoint as it does
 * after any failed read, so nothing is skipped or read twice. {@link Pending#cancel} (a failed or
 * fenced commit, a stopping job) interrupts the read. {@link #inline()} reads only when collected,
 * one page after the other.
 */
public final class Prefetch implements AutoCloseable {

    /** A page read, as the job thread runs it. */
    @FunctionalInterface
    interface Read<T> {
        T run() throws InterruptedException;
    }

    /** A page read from a cursor, as the read-ahead thread runs it. */
    @FunctionalInterface
    interface ReadFrom<C, T> {
        T run(C cursor) throws InterruptedException;
    }

    /** A started (or, inline, deferred) read. */
    interface Pending<T> {

        /** Waits for the read and returns its result, or throws what the read threw. */
        T get() throws InterruptedException;

        /** Abandons the read, interrupting it if it runs. */
        void cancel();
    }

    private final ExecutorService executor;

    private Prefetch(ExecutorService executor) {
        this.executor = executor;
    }

    /** Reads ahead on one daemon thread named {@code name}. */
    public static Prefetch background(String name) {
        return new Prefetch(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }));
    }

    /** Reads when the result is asked for, on the asking thread. */
    public static Prefetch inline() {
        return new Prefetch(null);
    }

    <T> Pending<T> start(Read<T> read) {
        if (executor == null) {
            return new Pending<>() {
                @Override
                public T get() throws InterruptedException {
                    return read.run();
                }

                @Override
                public void cancel() {
                }
            };
        }
        Future<T> future = executor.submit(read::run);
        return new Pending<>() {
            @Override
            public T get() throws InterruptedException {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    future.cancel(true);
                    throw e;
                } catch (CancellationException e) {
                    throw new InterruptedException("the read ahead was cancelled");
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    if (cause instanceof InterruptedException) {
                        throw new InterruptedException("the read ahead was interrupted");
                    }
                    throw new IllegalStateException(cause);
                }
            }

            @Override
            public void cancel() {
                future.cancel(true);
            }
        };
    }

    /**
     * Reads page after page from {@code first}: each page read, the cursor of the page after it is
     * {@code after} of the page (null: there is none, or it cannot be had), and that page's read starts
     * at once, before the job collects the page, as long as no more than one page read before it waits
     * to be collected; otherwise it starts when the job collects one. So one query is in flight while
     * the job commits, and at most two pages wait beside the one the job holds. Each {@link Pending#get}
     * collects the next page in order; once the pages have ended (the last, or one whose cursor cannot
     * be had), it throws {@link IllegalStateException}. {@link Pending#cancel} interrupts the running
     * read and starts no other. Inline, each page is read when it is collected.
     */
    <C, T> Pending<T> chain(C first, ReadFrom<C, T> read, Function<T, C> after) {
        if (executor == null) {
            return new Pending<>() {
                private C cursor = first;

                @Override
                public T get() throws InterruptedException {
                    if (cursor == null) {
                        throw new IllegalStateException("no page after the last one read");
                    }
                    T page = read.run(cursor);
                    cursor = after.apply(page);
                    return page;
                }

                @Override
                public void cancel() {
                    cursor = null;
                }
            };
        }
        Chain<C, T> chain = new Chain<>(read, after);
        chain.start(first);
        return chain;
    }

    /** The reads of a {@link #chain}, one after the other on the read-ahead thread. */
    private final class Chain<C, T> implements Pending<T> {
        private final ReadFrom<C, T> read;
        private final Function<T, C> after;
        // reads started and not yet collected, in page order
        private final ArrayDeque<Pending<T>> reads = new ArrayDeque<>();
        // a read may start while at most one page before it waits to be collected
        private final Semaphore waiting = new Semaphore(1);
        private boolean cancelled;

        Chain(ReadFrom<C, T> read, Function<T, C> after) {
            this.read = read;
            this.after = after;
        }

        private synchronized void start(C cursor) {
            if (!cancelled) {
                reads.addLast(Prefetch.this.start(() -> readThenStartNext(cursor)));
            }
        }

        /** Runs on the read-ahead thread: the page, with the next page's read started (or due) before it is handed over. */
        private T readThenStartNext(C cursor) throws InterruptedException {
            T page = read.run(cursor);
            C next = after.apply(page);
            if (next != null) {
                waiting.acquire();
                start(next);
            }
            return page;
        }

        @Override
        public T get() throws InterruptedException {
            Pending<T> next;
            synchronized (this) {
                next = reads.pollFirst();
            }
            if (next == null) {
                // a collected read had started the next one before it was handed over
                throw new IllegalStateException("no page after the last one read");
            }
            T page = next.get();
            waiting.release();
            return page;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            reads.forEach(Pending::cancel);
            reads.clear();
        }
    }

    /** Interrupts a running read and ends the thread. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
