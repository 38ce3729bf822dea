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
 * Writes {@link CustomerRow}s as the same bytes {@code CustomerRow.CODEC.encode} produces (the
 * contract's JSON: properties and field names in alphabetical order, instants in ISO form), straight
 * to one generator of the shared mapper that serves a whole page: no bean introspection, no copy of
 * the field map, no new generator per row. {@code CustomerRowWriterTest} holds it to the codec byte
 * for byte. One writer per thread.
 */
final class CustomerRowWriter implements AutoCloseable {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);
    private final SerializerProvider provider = MAPPER.getSerializerProviderInstance();
    private final JsonGenerator g;

    CustomerRowWriter() {
        try {
            g = MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // rows are separate values: nothing between them
        g.setRootValueSeparator(null);
    }

    /** One row on its own; a page should use one writer for all its rows. */
    static byte[] encode(CustomerRow row) {
        try (CustomerRowWriter w = new CustomerRowWriter()) {
            return w.write(row);
        }
    }

    byte[] write(CustomerRow row) {
        if (row.schemaVersion() != CustomerRow.VERSION) {
            // only the codec knows how to refuse other versions
            return CustomerRow.CODEC.encode(row);
        }
        try {
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
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a customer row could not be written", e);
        } finally {
            out.reset();
        }
    }

    @Override
    public void close() {
        try {
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.release();
    }
}
