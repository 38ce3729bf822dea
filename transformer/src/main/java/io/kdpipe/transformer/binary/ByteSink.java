package io.kdpipe.transformer.binary;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * An in-memory output stream and {@link DataOutput} without locking: {@link java.io.ByteArrayOutputStream}
 * takes a lock on every write, and {@link java.io.DataOutputStream} writes an int as four single-byte
 * writes. Its {@code DataOutput} methods write the bytes {@code DataOutputStream}'s do (big-endian), and
 * {@link #writeUtf8(String)} the bytes of {@code String.getBytes(UTF_8)}. For one thread at a time.
 */
public final class ByteSink extends OutputStream implements DataOutput {

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

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        buf[count++] = (byte) (v >>> 24);
        buf[count++] = (byte) (v >>> 16);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
    }

    @Override
    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** Modified UTF-8, as {@link DataOutputStream#writeUTF} writes it. */
    @Override
    public void writeUTF(String s) {
        try {
            new DataOutputStream(this).writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory stream
        }
    }

    /**
     * The UTF-8 bytes of {@code s}, as {@code s.getBytes(UTF_8)} gives them (an unpaired surrogate as
     * {@code '?'}), encoded in place; returns how many.
     */
    public int writeUtf8(String s) {
        int n = s.length();
        ensure(3 * n); // no char takes more than three bytes; a pair of them four
        byte[] b = buf;
        int start = count;
        int k = start;
        int i = 0;
        // the ASCII run first (most names and codes are all of it), then the rest char by char
        for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) {
            b[k++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[k++] = (byte) c;
            } else if (c < 0x800) {
                b[k++] = (byte) (0xC0 | (c >> 6));
                b[k++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[k++] = (byte) (0xF0 | (cp >> 18));
                    b[k++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[k++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[k++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[k++] = '?';
                }
            } else {
                b[k++] = (byte) (0xE0 | (c >> 12));
                b[k++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[k++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        count = k;
        return k - start;
    }

    /** Overwrites the four bytes at {@code at} with {@code v}, big-endian (a length written after what it counts). */
    public void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
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
