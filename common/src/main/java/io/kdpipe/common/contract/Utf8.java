package io.kdpipe.common.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Strict UTF-8 well-formedness (Unicode table 3-7), checked without decoding. */
final class Utf8 {

    /** Eight bytes of an array at once, for runs of ASCII. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8 (no overlong forms, no surrogates, nothing above
     * U+10FFFF, no truncated sequence) and hold no NUL byte. Accepts exactly what a strict
     * {@code UTF_8} decoder accepts, minus NUL.
     */
    static boolean isWellFormedWithoutNul(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            if (i + 8 <= n) {
                long w = (long) LONGS.get(bytes, i);
                // eight ASCII bytes, none of them NUL: (w - 0x01…) & ~w has a high bit set exactly when a byte is 0
                if ((w & HIGH_BITS) == 0 && ((w - LOW_BITS) & ~w & HIGH_BITS) == 0) {
                    i += 8;
                    continue;
                }
            }
            int c = bytes[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) {
                return false;
            }
            c &= 0xFF;
            if (c < 0xC2) {
                return false; // a continuation byte, or an overlong two-byte form
            }
            if (c < 0xE0) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if ((c == 0xE0 && b1 < 0xA0) || (c == 0xED && b1 >= 0xA0)) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if ((c == 0xF0 && b1 < 0x90) || (c == 0xF4 && b1 >= 0x90)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
