package io.kdpipe.transformer.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ByteSinkTest {

    @Test
    void shouldWriteTheBytesDataOutputStreamWrites() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream reference = new DataOutputStream(expected);
            ByteSink sink = new ByteSink(1);
            for (int i = 0; i < 20; i++) {
                String s = text(random);
                long v = random.nextLong();
                int what = random.nextInt(11);
                for (DataOutput out : new DataOutput[] {reference, sink}) {
                    switch (what) {
                        case 0 -> out.writeBoolean(v % 2 == 0);
                        case 1 -> out.writeByte((int) v);
                        case 2 -> out.writeShort((int) v);
                        case 3 -> out.writeChar((int) v);
                        case 4 -> out.writeInt((int) v);
                        case 5 -> out.writeLong(v);
                        case 6 -> out.writeFloat(Float.intBitsToFloat((int) v));
                        case 7 -> out.writeDouble(Double.longBitsToDouble(v));
                        case 8 -> out.writeBytes(s);
                        case 9 -> out.writeChars(s);
                        default -> out.writeUTF(s);
                    }
                }
            }
            reference.flush();
            assertThat(Arrays.copyOf(sink.buffer(), sink.size())).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void shouldEncodeUtf8AsStringGetBytesDoesUnpairedSurrogatesIncluded() {
        SplittableRandom random = new SplittableRandom(2);
        for (int round = 0; round < 20_000; round++) {
            String s = text(random);
            ByteSink sink = new ByteSink(4);
            sink.write(7);
            int n = sink.writeUtf8(s);
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertThat(n).as(s).isEqualTo(expected.length);
            assertThat(Arrays.copyOfRange(sink.buffer(), 1, sink.size())).as(s).isEqualTo(expected);
        }
    }

    @Test
    void shouldWriteAStringWithItsLengthAsTheStreamWayDoes() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 2_000; round++) {
            String s = random.nextInt(10) == 0 ? null : text(random);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream reference = new DataOutputStream(expected);
            Binary.writeString(reference, s);
            reference.flush();
            ByteSink sink = new ByteSink(2);
            Binary.writeString(sink, s);
            assertThat(Arrays.copyOf(sink.buffer(), sink.size())).as(String.valueOf(s)).isEqualTo(expected.toByteArray());
        }
    }

    /** Text of ASCII, Latin, Chinese, emoji and unpaired surrogates. */
    private static String text(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(0, 12);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> s.append((char) random.nextInt(0, 0x80));
                case 1 -> s.append((char) random.nextInt(0x80, 0x800));
                case 2 -> s.append((char) random.nextInt(0x4E00, 0x9FA5));
                case 3 -> s.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 4 -> s.append((char) random.nextInt(0xD800, 0xE000));
                default -> s.append((char) random.nextInt(0xE000, 0x10000));
            }
        }
        return s.toString();
    }
}
