package io.kdpipe.notifier;

import java.time.Duration;
import java.util.List;

import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.notifier.send.SendLoop;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running notifier: the send loop on its own thread. {@link #close()} stops it and closes its
 * clients, once. The loop has failed when it ended with its liveness down.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final SendLoop loop;
    private final List<KafkaClientMetrics> clientMetrics;
    private final HealthState live;
    private final Thread thread;
    private volatile Runnable onFailure = () -> { };
    private boolean closed;

    Notifier(SendLoop loop, List<KafkaClientMetrics> clientMetrics, HealthState live, String name) {
        this.loop = loop;
        this.clientMetrics = clientMetrics;
        this.live = live;
        this.thread = new Thread(() -> {
            loop.run();
            runIfFailed(onFailure);
        }, name);
    }

    /**
     * Runs {@code action} once the send loop has failed, at once if it already has (the process's
     * {@code main} closes its runtime with it). It may run twice; it runs on a thread of its own,
     * since closing this notifier waits for the loop's thread.
     */
    void onFailure(Runnable action) {
        this.onFailure = action;
        runIfFailed(action);
    }

    private void runIfFailed(Runnable action) {
        if (failed()) {
            Thread t = new Thread(action, thread.getName() + "-failed");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Whether the send loop ended with an error: it stopped and its liveness is down. */
    public boolean failed() {
        return loop.stopped() && !live.get().up();
    }

    Notifier start() {
        thread.start();
        return this;
    }

    /** Whether the send loop has ended (stopped, halted or failed). */
    public boolean stopped() {
        return loop.stopped();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The send loop did not stop within 30 s");
        }
        clientMetrics.forEach(KafkaClientMetrics::close);
        loop.closeClients();
    }
}
