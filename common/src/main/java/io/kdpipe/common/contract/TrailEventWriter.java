package io.kdpipe.common.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The writer of {@link TrailEvent}s behind {@code TrailEvent.CODEC.encode}: the contract's JSON
 * (properties in alphabetical order, instants in ISO form, {@code routing} only when not empty,
 * {@code notice} and {@code digestLine} only when present) written straight to a generator of the
 * shared mapper (one per thread, kept for its next event), without bean introspection. The notice
 * inside an event of the earlier layout is written by the mapper itself. {@code TrailEventWriterTest}
 * holds it byte for byte to what the shared mapper writes for the record.
 */
final class TrailEventWriter {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final SerializedString AT = new SerializedString("at");
    private static final SerializedString CUSTOMER_KEY = new SerializedString("customerKey");
    private static final SerializedString DEPT_IDS = new SerializedString("deptIds");
    private static final SerializedString DIGEST_LINE = new SerializedString("digestLine");
    private static final SerializedString KINDS = new SerializedString("kinds");
    private static final SerializedString MODIFIED_AT = new SerializedString("modifiedAt");
    private static final SerializedString NOTICE = new SerializedString("notice");
    private static final SerializedString NOTICE_ID = new SerializedString("noticeId");
    private static final SerializedString NOTICE_KIND = new SerializedString("noticeKind");
    private static final SerializedString NUMBER = new SerializedString("number");
    private static final SerializedString ORG = new SerializedString("org");
    private static final SerializedString PHASE = new SerializedString("phase");
    private static final SerializedString ROUTING = new SerializedString("routing");
    private static final SerializedString SALESPERSON = new SerializedString("salesperson");
    private static final SerializedString SCHEMA_VERSION = new SerializedString("schemaVersion");
    private static final SerializedString SUPPRESSED = new SerializedString("suppressed");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString UNRESOLVED = new SerializedString("unresolved");
    private static final SerializedString USER_IDS = new SerializedString("userIds");

    /** A generator and its buffer per thread: a new generator per event cost more than the event's JSON. */
    private static final ThreadLocal<TrailEventWriter> WRITERS = ThreadLocal.withInitial(TrailEventWriter::new);

    private final ByteArrayBuilder out = new ByteArrayBuilder(1024);
    private final JsonGenerator g;

    private TrailEventWriter() {
        try {
            g = MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // events are separate values: nothing between them
        g.setRootValueSeparator(null);
    }

    static byte[] encode(TrailEvent e) {
        TrailEventWriter writer = WRITERS.get();
        try {
            return writer.write(e);
        } catch (RuntimeException ex) {
            WRITERS.remove(); // a generator left inside an object is not used again
            throw ex;
        }
    }

    private byte[] write(TrailEvent e) {
        try {
            g.writeStartObject();
            g.writeFieldName(AT);
            instant(g, e.at());
            g.writeFieldName(CUSTOMER_KEY);
            g.writeString(e.customerKey());
            g.writeFieldName(DEPT_IDS);
            strings(g, e.deptIds());
            if (e.digestLine() != null) {
                g.writeFieldName(DIGEST_LINE);
                g.writeString(e.digestLine());
            }
            g.writeFieldName(KINDS);
            strings(g, e.kinds());
            g.writeFieldName(MODIFIED_AT);
            instant(g, e.modifiedAt());
            if (e.notice() != null) {
                g.writeFieldName(NOTICE);
                g.writeObject(e.notice());
            }
            g.writeFieldName(NOTICE_ID);
            g.writeString(e.noticeId());
            g.writeFieldName(NOTICE_KIND);
            g.writeString(e.noticeKind());
            g.writeFieldName(NUMBER);
            g.writeString(e.number());
            g.writeFieldName(ORG);
            g.writeString(e.org());
            g.writeFieldName(PHASE);
            g.writeString(e.phase() == null ? null : e.phase().name());
            if (!e.routing().isEmpty()) {
                g.writeFieldName(ROUTING);
                strings(g, e.routing());
            }
            g.writeFieldName(SALESPERSON);
            g.writeString(e.salesperson());
            g.writeFieldName(SCHEMA_VERSION);
            g.writeNumber(e.schemaVersion());
            g.writeFieldName(SUPPRESSED);
            g.writeString(e.suppressed());
            g.writeFieldName(TYPE);
            g.writeString(e.type().name());
            g.writeFieldName(UNRESOLVED);
            strings(g, e.unresolved());
            g.writeFieldName(USER_IDS);
            strings(g, e.userIds());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException("a trail event could not be written", ex);
        } finally {
            out.reset();
        }
    }

    private static void instant(JsonGenerator g, Instant t) throws IOException {
        g.writeString(t == null ? null : Instants.format(t));
    }

    private static void strings(JsonGenerator g, List<String> list) throws IOException {
        g.writeStartArray();
        for (String s : list) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
