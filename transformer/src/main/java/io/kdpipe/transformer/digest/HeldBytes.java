package io.kdpipe.transformer.digest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of held notices that the digest stages of one transformer instance keep, every task and
 * recipient group together, against {@link DigestSettings#maxHeldBytes()}. The held notices live in
 * an in-memory store (restored from its changelog), so this is what bounds them on the heap.
 */
public final class HeldBytes {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    public HeldBytes(long max) {
        this.max = max;
    }

    void add(long bytes) {
        held.addAndGet(bytes);
    }

    boolean over() {
        return held.get() > max;
    }

    /** The bytes held now. */
    public long held() {
        return held.get();
    }

    public long max() {
        return max;
    }
}
