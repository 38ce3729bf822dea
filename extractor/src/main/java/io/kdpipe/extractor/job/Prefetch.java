package io.kdpipe.extractor.job;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the next page while the current one is being committed. Keyset paging needs only the last
 * key of a page to ask for the next, so a job hands the next page's read to this one background
 * thread as soon as a page is parsed, and collects it after the page's transaction committed.
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

    /** Interrupts a running read and ends the thread. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
