package io.kdpipe.transformer.digest;

import io.kdpipe.common.contract.Codec;
import io.kdpipe.common.contract.Versioned;

/**
 * A recipient group's open window, in the {@code digest-windows} store. Encoded by
 * {@code InternalSerdes.DIGEST_WINDOW}; {@link #CODEC} is the JSON form earlier versions stored, still read.
 *
 * @param startMs  wall-clock time of the window's first notice
 * @param count    notices seen in the window
 * @param nextSeq  sequence number of the {@code digest-pending} value held notices go into (orders its keys)
 * @param pending  notices held for the digest
 */
public record DigestWindow(int schemaVersion, long startMs, int count, long nextSeq, int pending) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<DigestWindow> CODEC = new Codec<>(DigestWindow.class, VERSION);

    static DigestWindow open(long startMs) {
        return new DigestWindow(VERSION, startMs, 0, 0, 0);
    }

    DigestWindow counted() {
        return new DigestWindow(VERSION, startMs, count + 1, nextSeq, pending);
    }

    /** One more notice held; {@code chunkFull}: the {@code digest-pending} value it went into takes no more, the next opens a new one. */
    DigestWindow held(boolean chunkFull) {
        return new DigestWindow(VERSION, startMs, count, chunkFull ? nextSeq + 1 : nextSeq, pending + 1);
    }

    DigestWindow flushed() {
        return new DigestWindow(VERSION, startMs, count, nextSeq, 0);
    }
}
