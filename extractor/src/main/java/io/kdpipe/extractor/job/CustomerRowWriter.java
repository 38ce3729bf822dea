package io.kdpipe.extractor.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;

/**
 * Writes a {@link CustomerRow} as the same bytes {@code CustomerRow.CODEC.encode} produces (the
 * contract's JSON: properties and field names in alphabetical order, instants in ISO form), straight
 * to a generator of the shared mapper: no bean introspection and no copy of the field map per row.
 * {@code CustomerRowWriterTest} holds it to the codec byte for byte.
 */
final class CustomerRowWriter {

    private static final ObjectMapper MAPPER = Json.mapper();

    private CustomerRowWriter() {
    }

    static byte[] encode(CustomerRow row) {
        if (row.schemaVersion() != CustomerRow.VERSION) {
            // only the codec knows how to refuse other versions
            return CustomerRow.CODEC.encode(row);
        }
        try (ByteArrayBuilder out = new ByteArrayBuilder(1024)) {
            SerializerProvider provider = MAPPER.getSerializerProviderInstance();
            try (JsonGenerator g = MAPPER.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("account", row.account());
                g.writeStringField("customerId", row.customerId());
                g.writeStringField("extractedAt", row.extractedAt().toString());
                g.writeFieldName("fields");
                g.writeStartObject();
                // the contract keeps its fields sorted by name
                for (Map.Entry<String, JsonNode> f : row.fields().entrySet()) {
                    g.writeFieldName(f.getKey());
                    JsonNode v = f.getValue();
                    if (v == null) {
                        g.writeNull();
                    } else {
                        // how the mapper writes a JsonNode map value
                        v.serialize(g, provider);
                    }
                }
                g.writeEndObject();
                g.writeStringField("form", row.form());
                g.writeStringField("modifiedAt", row.modifiedAt().toString());
                g.writeStringField("phase", row.phase().name());
                g.writeNumberField("schemaVersion", row.schemaVersion());
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a customer row could not be written", e);
        }
    }
}
