package io.kdpipe.transformer.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ByteSourceTest {

    @Test
    void shouldReadWhatDataInputStreamReadsAndRunOutWhereItDoes() {
        SplittableRandom random = new SplittableRandom(4);
        for (int round = 0; round < 5_000; round++) {
            byte[] bytes = new byte[random.nextInt(0, 40)];
            random.nextBytes(bytes);
            int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int[] reads = random.ints(12, 0, 14).toArray();
            List<Object> expected = readAll(new DataInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset)), reads);
            List<Object> actual = readAll(new ByteSource(bytes, offset, bytes.length - offset), reads);
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void shouldReadAStringAsTheStreamWayDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 5_000; round++) {
            byte[] bytes = new byte[random.nextInt(4, 30)];
            random.nextBytes(bytes);
            int length = random.nextInt(-2, bytes.length);
            ByteSink sink = new ByteSink(4);
            sink.writeInt(length);
            sink.write(bytes, 0, bytes.length);
            byte[] all = java.util.Arrays.copyOf(sink.buffer(), sink.size());
            Object expected = readString(new DataInputStream(new ByteArrayInputStream(all)));
            Object actual = readString(new ByteSource(all, 0, all.length));
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static Object readString(DataInput in) {
        try {
            return Objects.toString(Binary.readString(in), "<null>");
        } catch (Exception e) {
            return e.getClass();
        }
    }

    /** What each read gives, then the class of what the first failing read threw. */
    private static List<Object> readAll(DataInput in, int[] reads) {
        List<Object> out = new ArrayList<>();
        try {
            for (int r : reads) {
                out.add(switch (r) {
                    case 0 -> in.readBoolean();
                    case 1 -> in.readByte();
                    case 2 -> in.readUnsignedByte();
                    case 3 -> in.readShort();
                    case 4 -> in.readUnsignedShort();
                    case 5 -> in.readChar();
                    case 6 -> in.readInt();
                    case 7 -> in.readLong();
                    case 8 -> Float.floatToRawIntBits(in.readFloat());
                    case 9 -> Double.doubleToRawLongBits(in.readDouble());
                    case 10 -> in.skipBytes(3);
                    case 11 -> {
                        byte[] b = new byte[5];
                        in.readFully(b);
                        yield java.util.Arrays.toString(b);
                    }
                    case 12 -> in.readUTF();
                    default -> {
                        byte[] b = new byte[6];
                        in.readFully(b, 1, 4);
                        yield java.util.Arrays.toString(b);
                    }
                });
            }
        } catch (EOFException e) {
            out.add(EOFException.class);
        } catch (Exception e) {
            out.add(e.getClass());
        }
        return out;
    }
}
