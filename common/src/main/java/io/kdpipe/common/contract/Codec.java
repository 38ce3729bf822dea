package io.kdpipe.common.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON encoding of one contract record, with its schema version checked on the way in.
 *
 * <p>{@link #decode} throws a {@link ContractException}; {@link #tryDecode} returns the same error as
 * a value, for loops that dead-letter rather than throw.
 *
 * <p>Decoding takes one pass for a well-formed value: the bytes are checked to be strict UTF-8
 * without building a String, then parsed straight into the record while the top-level
 * {@code schemaVersion} is watched (or, for a codec given a fast reader, read by that reader first).
 * Anything else (a malformed or invalid value, a wrong, missing or
 * non-integer version) is decoded again the careful way (strict UTF-8 text, tree, version check,
 * binding), which decides and words every error, so both ways accept and refuse the same values.
 */
public final class Codec<T extends Versioned> {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Class<T> type;
    private final int version;
    private final String name;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final Function<T, byte[]> encoder;
    private final Function<byte[], T> fastReader;

    public Codec(Class<T> type, int version) {
        this(type, version, null, null);
    }

    /**
     * A codec whose values of its own version are written by {@code encoder}, which must produce the
     * bytes the shared mapper would (see {@link CustomerRowWriter}), and read first by {@code fastReader},
     * which must return what the shared mapper would, or null for the mapper to decide (see
     * {@link CustomerRowReader}).
     */
    Codec(Class<T> type, int version, Function<T, byte[]> encoder, Function<byte[], T> fastReader) {
        this.type = type;
        this.version = version;
        this.name = type.getSimpleName() + " v" + version;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
        this.encoder = encoder;
        this.fastReader = fastReader;
    }

    public int version() {
        return version;
    }

    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        if (value.schemaVersion() != version) {
            throw new IllegalArgumentException(name + " cannot encode a value of schema version " + value.schemaVersion());
        }
        if (encoder != null) {
            return encoder.apply(value);
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name + " could not be encoded", e);
        }
    }

    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new ContractException(name, ContractException.Reason.MALFORMED, "no value (null bytes)", null);
        }
        T value = decodeDirectly(bytes);
        return value != null ? value : decodeCarefully(bytes);
    }

    /**
     * The one-pass way: the value, or null whenever it is not a plain success. Only an object that
     * starts with '{', is strict UTF-8 without NUL bytes (so the parser reads it as UTF-8, never
     * guessing UTF-16/32 or skipping a BOM), binds to the record, and has one top-level integer
     * {@code schemaVersion} equal to this codec's version is returned.
     */
    private T decodeDirectly(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != '{' || !Utf8.isWellFormedWithoutNul(bytes)) {
            return null;
        }
        if (fastReader != null) {
            T value = fastReader.apply(bytes);
            if (value != null && value.schemaVersion() == version) {
                return value;
            }
        }
        try (VersionWatch parser = new VersionWatch(MAPPER.getFactory().createParser(bytes))) {
            T value = reader.readValue(parser);
            return value != null && parser.integerVersionSeenOnce() && value.schemaVersion() == version ? value : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private T decodeCarefully(byte[] bytes) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(strictUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw new ContractException(name, ContractException.Reason.MALFORMED, "value is not valid UTF-8", e);
        } catch (IOException | RuntimeException e) {
            // a RuntimeException too: Jackson throws NumberFormatException for a number it cannot hold (1e9999999999)
            throw new ContractException(name, ContractException.Reason.MALFORMED, "value is not valid JSON: " + firstLine(e), e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new ContractException(name, ContractException.Reason.MALFORMED, "value is not a JSON object", null);
        }
        JsonNode v = object.get("schemaVersion");
        if (v == null || !v.canConvertToInt()) {
            throw new ContractException(name, ContractException.Reason.UNSUPPORTED_VERSION, "value has no schemaVersion", null);
        }
        if (v.intValue() != version) {
            throw new ContractException(name, ContractException.Reason.UNSUPPORTED_VERSION,
                    "schemaVersion " + v.intValue() + " is not supported (this reader knows " + version + ")", null);
        }
        try {
            return MAPPER.treeToValue(object, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ContractException(name, ContractException.Reason.INVALID, "value breaks the contract: " + firstLine(e), e);
        }
    }

    public Decoded<T> tryDecode(byte[] bytes) {
        try {
            return new Decoded.Ok<>(decode(bytes));
        } catch (ContractException e) {
            return new Decoded.Failed<>(e);
        }
    }

    public Serde<T> serde() {
        Serializer<T> serializer = (topic, value) -> value == null ? null : encode(value);
        // null stays null: a tombstone on a compacted topic is not a malformed value
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Watches the tokens of the parsed value for the top-level {@code schemaVersion} as it is bound. */
    private static final class VersionWatch extends JsonParserDelegate {

        private int seen;
        private boolean integer;

        VersionWatch(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = delegate.nextToken();
            if (t != null && t != JsonToken.FIELD_NAME && !t.isStructEnd()) {
                JsonStreamContext ctx = delegate.getParsingContext();
                if (t.isStructStart()) {
                    ctx = ctx.getParent();
                }
                if (ctx != null && ctx.inObject() && ctx.getParent() != null && ctx.getParent().inRoot()
                        && "schemaVersion".equals(ctx.getCurrentName())) {
                    seen++;
                    integer = t == JsonToken.VALUE_NUMBER_INT;
                }
            }
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            // through nextToken, so no value passes unwatched
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        boolean integerVersionSeenOnce() {
            return seen == 1 && integer;
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
