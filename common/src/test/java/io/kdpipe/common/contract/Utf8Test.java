package io.kdpipe.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void shouldAcceptExactlyWhatTheStrictDecoderAcceptsForEveryShortSequence() {
        // every sequence of up to 3 bytes drawn from the bytes where UTF-8's rules change
        int[] interesting = {0x01, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
                0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int a : interesting) {
            check(new byte[] {(byte) a});
            for (int b : interesting) {
                check(new byte[] {(byte) a, (byte) b});
                for (int c : interesting) {
                    check(new byte[] {(byte) a, (byte) b, (byte) c});
                    for (int d : new int[] {0x41, 0x80, 0x8F, 0x90, 0xBF, 0xC0}) {
                        check(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeWithTheStrictDecoderOnRandomAndRealText() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(1, 12)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) random.nextInt(1, 256);
            }
            check(bytes);
        }
        check("上海华东电子有限公司 😀 é".getBytes(StandardCharsets.UTF_8));
        assertThat(Utf8.isWellFormedWithoutNul("上海 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void shouldAgreeWithTheStrictDecoderWhereverASequenceSitsInALongAsciiRun() {
        // runs of ASCII are checked eight bytes at a time: put every kind of sequence at every offset
        byte[][] sequences = {{0}, {(byte) 0x80}, {(byte) 0xC2, (byte) 0xA9}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE4, (byte) 0xB8, (byte) 0x8A},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE4, (byte) 0xB8}, {0x7F}, {0x01}};
        for (byte[] sequence : sequences) {
            for (int length = 1; length <= 40; length++) {
                for (int at = 0; at + sequence.length <= length; at++) {
                    byte[] bytes = new byte[length];
                    java.util.Arrays.fill(bytes, (byte) 'a');
                    System.arraycopy(sequence, 0, bytes, at, sequence.length);
                    boolean expected = strictlyDecodes(bytes) && !contains(bytes, (byte) 0);
                    assertThat(Utf8.isWellFormedWithoutNul(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
                }
            }
        }
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldRefuseNul() {
        assertThat(Utf8.isWellFormedWithoutNul(new byte[] {'{', 0, '}'})).isFalse();
    }

    private static void check(byte[] bytes) {
        assertThat(Utf8.isWellFormedWithoutNul(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(strictlyDecodes(bytes));
    }

    private static boolean strictlyDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
