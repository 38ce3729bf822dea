package io.kdpipe.transformer.binary;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An in-memory output stream without locking: {@link java.io.ByteArrayOutputStream} takes a lock
 * on every write, and {@link java.io.DataOutputStream} writes an int as four single-byte writes.
 * For one thread at a time.
 */
public final class ByteSink extends OutputStream {

    private byte[] buf;
    private int count;

    public ByteSink(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    public void reset() {
        count = 0;
    }

    public int size() {
        return count;
    }

    /** The internal buffer; valid up to {@link #size()}, until the next write. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }
}
