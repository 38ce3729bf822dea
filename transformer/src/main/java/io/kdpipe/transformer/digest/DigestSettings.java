package io.kdpipe.transformer.digest;

import java.time.Duration;

/**
 * How bursts are folded.
 *
 * @param enabled     off: every notice passes through unchanged
 * @param window      how long a recipient group's window stays open after its first notice
 * @param threshold   notices of one window that go out singly at once; later ones are held for a digest
 * @param maxItems    notices listed in one digest message at most (the 2048-byte limit usually cuts it lower)
 * @param maxPending  held notices per group at most; reaching it flushes digests early (bounds state)
 * @param maxHeldBytes bytes of held notices one instance keeps at most, all groups together; beyond it the
 *                    largest groups of the task whose notice passed it send their digests early (bounds
 *                    the in-memory store)
 * @param tick        how often (wall clock) due windows are looked for
 */
public record DigestSettings(boolean enabled, Duration window, int threshold, int maxItems, int maxPending, long maxHeldBytes,
        Duration tick) {

    public static DigestSettings disabled() {
        return new DigestSettings(false, Duration.ofSeconds(60), 1, 100, 1000, 16L << 20, Duration.ofSeconds(1));
    }
}
