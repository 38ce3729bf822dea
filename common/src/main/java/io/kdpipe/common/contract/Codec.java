package io.kdpipe.common.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
public final class Codec<T extends Versioned> {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Class<T> type;
    private final int version;
    private final String name;

    public Codec(Class<T> type, int version) {
        this.type = type;
        this.version = version;
        this.name = type.getSimpleName() + " v" + version;
    }

    public int version() {
        return version;
    }

    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        if (value.schemaVersion() != version) {
            throw new IllegalArgumentException(name + " cannot encode a value of schema version " + value.schemaVersion());
        }
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name + " could not be encoded", e);
        }
    }

    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new ContractException(name, ContractException.Reason.MALFORMED, "no value (null bytes)", null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(strictUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw new ContractException(name, ContractException.Reason.MALFORMED, "value is not valid UTF-8", e);
        } catch (IOException e) {
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
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
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
