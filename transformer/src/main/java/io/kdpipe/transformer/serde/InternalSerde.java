package io.kdpipe.transformer.serde;

import io.kdpipe.transformer.binary.ByteSink;
import io.kdpipe.transformer.binary.ByteSource;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.kdpipe.common.contract.Codec;
import io.kdpipe.common.contract.Versioned;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The compact encoding of a value only the transformer reads (its state stores and their changelogs;
 * in earlier versions also a repartition topic): a leading format byte, then the value in
 * {@link Binary}'s building blocks.
 * Values written as JSON by earlier versions (first byte {@code '{'}) are still read, through the
 * value's JSON codec, so an upgraded transformer restores a changelog the previous one wrote.
 */
public final class InternalSerde<T extends Versioned> {

    /** The first byte of a value in the binary format, version 1. JSON values start with '{' (0x7B). */
    public static final byte BINARY_V1 = 1;

    /** Writes a value's content (after the format byte). */
    @FunctionalInterface
    public interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    /** Reads what {@link Writer} wrote. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ByteSource in) throws IOException;
    }

    private final String name;
    private final Codec<T> json;
    private final Writer<T> writer;
    private final Reader<T> reader;

    public InternalSerde(String name, Codec<T> json, Writer<T> writer, Reader<T> reader) {
        this.name = name;
        this.json = json;
        this.writer = writer;
        this.reader = reader;
    }

    public byte[] encode(T value) {
        ByteSink out = new ByteSink(256);
        try {
            out.writeByte(BINARY_V1);
            writer.write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory stream
        }
        return out.toByteArray();
    }

    public T decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException(name + ": empty value");
        }
        if (bytes[0] == '{') {
            return json.decode(bytes);
        }
        if (bytes[0] != BINARY_V1) {
            throw new SerializationException(name + ": unknown format byte " + bytes[0]);
        }
        try {
            ByteSource in = new ByteSource(bytes, 1, bytes.length - 1);
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new SerializationException(name + ": " + in.available() + " bytes left after the value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException s) {
                throw s;
            }
            throw new SerializationException(name + " is truncated or corrupt", e);
        }
    }

    /** Null stays null (tombstones). */
    public Serde<T> serde() {
        Serializer<T> serializer = (topic, value) -> value == null ? null : encode(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
