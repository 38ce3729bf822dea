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
            // at least the next eight bytes one sequence at a time, so text that is not ASCII (Chinese names,
            // addresses) is not read twice
            int stop = Math.min(n, i + 8);
            while (i < stop) {
                i = next(bytes, i);
                if (i < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The index after the well-formed sequence without NUL that starts at {@code i}, or -1. */
    private static int next(byte[] bytes, int i) {
        int n = bytes.length;
        int c = bytes[i];
        if (c > 0) {
            return i + 1;
        }
        if (c == 0) {
            return -1;
        }
        c &= 0xFF;
        if (c < 0xC2) {
            return -1; // a continuation byte, or an overlong two-byte form
        }
        if (c < 0xE0) {
            return i + 1 < n && continuation(bytes[i + 1]) ? i + 2 : -1;
        }
        if (c < 0xF0) {
            if (i + 2 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
                return -1;
            }
            int b1 = bytes[i + 1] & 0xFF;
            return (c == 0xE0 && b1 < 0xA0) || (c == 0xED && b1 >= 0xA0) ? -1 : i + 3; // overlong, or a surrogate
        }
        if (c < 0xF5) {
            if (i + 3 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
                return -1;
            }
            int b1 = bytes[i + 1] & 0xFF;
            return (c == 0xF0 && b1 < 0x90) || (c == 0xF4 && b1 >= 0x90) ? -1 : i + 4; // overlong, or above U+10FFFF
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
