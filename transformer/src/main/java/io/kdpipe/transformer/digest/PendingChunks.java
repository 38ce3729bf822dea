package io.kdpipe.transformer.digest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout of a {@code digest-pending} value: the notices a recipient group holds, several to a value,
 * so that holding a notice does not cost a changelog record of its own. A value is a format byte
 * ({@link #FORMAT}), then per notice its length (4 bytes, big-endian) and its encoded bytes. Appending
 * copies the bytes already there and adds one notice, without decoding them; with the store's cache,
 * the appends of one commit interval reach the changelog as one record, and the value's delete when the
 * window closes as one tombstone. A value is closed at {@link #MAX_BYTES}, well below a record's size
 * limit. Values written by earlier versions hold one notice, encoded on its own (first byte
 * {@code 0x01} or <code>'{'</code>), and are read as a chunk of one.
 */
public final class PendingChunks {

    static final byte FORMAT = 0x02;
    static final int MAX_BYTES = 32 * 1024;

    private PendingChunks() {
    }

    /** {@code chunk} (null for a new one) with {@code item} appended. */
    public static byte[] append(byte[] chunk, byte[] item) {
        byte[] base = chunk == null ? new byte[] {FORMAT} : chunk;
        if (base.length > 0 && base[0] != FORMAT) {
            base = append(null, base);
        }
        byte[] out = Arrays.copyOf(base, base.length + 4 + item.length);
        ByteBuffer.wrap(out, base.length, 4).putInt(item.length);
        System.arraycopy(item, 0, out, base.length + 4, item.length);
        return out;
    }

    /** Whether no more notices go into {@code chunk}. */
    static boolean full(byte[] chunk) {
        return chunk.length >= MAX_BYTES;
    }

    /** The encoded notices of {@code chunk}, in the order they were appended. */
    public static List<byte[]> items(byte[] chunk) {
        if (chunk.length == 0 || chunk[0] != FORMAT) {
            return List.of(chunk);
        }
        List<byte[]> items = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(chunk, 1, chunk.length - 1);
        while (in.hasRemaining()) {
            byte[] item = new byte[in.getInt()];
            in.get(item);
            items.add(item);
        }
        return items;
    }
}
