package io.kdpipe.common.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a process started, closed in reverse start order, once: each is closed even when one before
 * it fails, and a failure is logged, not thrown. Safe to use from a shutdown hook while another
 * thread still adds.
 */
public final class CloseOrder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CloseOrder.class);

    private final Deque<Map.Entry<String, AutoCloseable>> started = new ArrayDeque<>();
    private boolean closed;

    /** Registers {@code resource} under {@code name}; later registrations close first. */
    public synchronized <T extends AutoCloseable> T add(String name, T resource) {
        started.push(Map.entry(name, resource));
        return resource;
    }

    /**
     * Closes everything registered so far, newest first; true the first time, false when already
     * closed (nothing is done then).
     */
    public boolean closeAll() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
        }
        Map.Entry<String, AutoCloseable> next;
        while ((next = poll()) != null) {
            long t0 = System.nanoTime();
            try {
                next.getValue().close();
                log.debug("Closed {} in {} ms", next.getKey(), (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", next.getKey(), e.toString());
            }
        }
        return true;
    }

    @Override
    public void close() {
        closeAll();
    }

    private synchronized Map.Entry<String, AutoCloseable> poll() {
        return started.poll();
    }
}
