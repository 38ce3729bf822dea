package io.kdpipe.transformer.binary;

import java.io.InputStream;

/** An in-memory input stream without locking (see {@link ByteSink}). For one thread at a time. */
public final class ByteSource extends InputStream {

    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteSource(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public int read() {
        return pos < end ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return end - pos;
    }
}
