package io.kdpipe.common.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.kdpipe.common.lang.NamesByPosition;

/**
 * The one writer of {@link CustomerRow}s: {@code CustomerRow.CODEC.encode} writes through it, and a
 * publisher of many rows keeps one open for a whole page. It writes the contract's JSON (properties
 * and field names in alphabetical order, instants in ISO form) straight to one generator of the
 * shared mapper: no bean introspection, no copy of the field map, no new generator per row.
 * {@code CustomerRowWriterTest} holds it byte for byte to what the shared mapper writes for the
 * record. One writer per thread.
 */
public final class CustomerRowWriter implements AutoCloseable {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final SerializedString ACCOUNT = new SerializedString("account");
    private static final SerializedString CUSTOMER_ID = new SerializedString("customerId");
    private static final SerializedString EXTRACTED_AT = new SerializedString("extractedAt");
    private static final SerializedString FIELDS = new SerializedString("fields");
    private static final SerializedString FORM = new SerializedString("form");
    private static final SerializedString MODIFIED_AT = new SerializedString("modifiedAt");
    private static final SerializedString PHASE = new SerializedString("phase");
    private static final SerializedString SCHEMA_VERSION = new SerializedString("schemaVersion");

    /** Field names, quoted and encoded once per writer; a row has a few dozen, so the bound is never reached in practice. */
    private final NamesByPosition<SerializedString> names = new NamesByPosition<>(SerializedString::new, 1024);

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);
    private final SerializerProvider provider = MAPPER.getSerializerProviderInstance();
    private final JsonGenerator g;

    public CustomerRowWriter() {
        try {
            g = MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // rows are separate values: nothing between them
        g.setRootValueSeparator(null);
    }

    /** One row on its own; a page should use one writer for all its rows. */
    public static byte[] encode(CustomerRow row) {
        try (CustomerRowWriter w = new CustomerRowWriter()) {
            return w.write(row);
        }
    }

    public byte[] write(CustomerRow row) {
        if (row.schemaVersion() != CustomerRow.VERSION) {
            throw new IllegalArgumentException("CustomerRow v" + CustomerRow.VERSION + " cannot encode a value of schema version "
                    + row.schemaVersion());
        }
        try {
            g.writeStartObject();
            g.writeFieldName(ACCOUNT);
            g.writeString(row.account());
            g.writeFieldName(CUSTOMER_ID);
            g.writeString(row.customerId());
            g.writeFieldName(EXTRACTED_AT);
            g.writeString(Instants.format(row.extractedAt()));
            g.writeFieldName(FIELDS);
            g.writeStartObject();
            // the contract keeps its fields sorted by name
            int position = 0;
            for (Map.Entry<String, JsonNode> f : row.fields().entrySet()) {
                g.writeFieldName(names.get(position++, f.getKey()));
                JsonNode v = f.getValue();
                if (v == null) {
                    g.writeNull();
                } else {
                    // how the mapper writes a JsonNode map value
                    v.serialize(g, provider);
                }
            }
            g.writeEndObject();
            g.writeFieldName(FORM);
            g.writeString(row.form());
            g.writeFieldName(MODIFIED_AT);
            g.writeString(Instants.format(row.modifiedAt()));
            g.writeFieldName(PHASE);
            g.writeString(row.phase().name());
            g.writeFieldName(SCHEMA_VERSION);
            g.writeNumber(row.schemaVersion());
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
