package io.kdpipe.notifier;

import java.time.Duration;
import java.util.List;

import io.kdpipe.notifier.send.SendLoop;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running notifier: the send loop on its own thread. {@link #close()} stops it and closes its clients, once. */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final SendLoop loop;
    private final List<KafkaClientMetrics> clientMetrics;
    private final Thread thread;
    private boolean closed;

    Notifier(SendLoop loop, List<KafkaClientMetrics> clientMetrics, String name) {
        this.loop = loop;
        this.clientMetrics = clientMetrics;
        this.thread = new Thread(loop, name);
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
