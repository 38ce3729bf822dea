package io.kdpipe.transformer.trail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.transformer.digest.EncodedNotice;
import io.kdpipe.transformer.notice.RoutedNotice;
import io.kdpipe.transformer.serde.InternalSerdes;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The digest stage's input: the notices on {@code kdpipe.trail.v1} that this application built
 * ({@link TrailWriter#APPLICATION_HEADER}), each with its digest line. The notice is read from
 * {@link TrailWriter#NOTICE_HEADER} (all but its message, which only a notice sent as it is needs:
 * {@link EncodedNotice}); the event's JSON value is not parsed. Events written by the
 * previous version carry the notice inside their JSON ({@link TrailEvent#notice()}) instead, and are
 * read from there. NOTICE events of still earlier versions carry no notice at all (theirs went through
 * a repartition topic, and were folded there) and are skipped, as are ROW events and the events of other
 * applications. The application header is checked first, so the events this application did not write
 * (all of them, once, after an upgrade) cost no decoding. An event of this application that cannot be
 * decoded throws, and is dead-lettered like an unprocessable row. Neither header goes on to the
 * notices topic.
 */
public final class TrailNotices implements FixedKeyProcessor<String, byte[], EncodedNotice> {

    private final byte[] applicationId;
    private FixedKeyProcessorContext<String, EncodedNotice> context;

    public TrailNotices(String applicationId) {
        this.applicationId = applicationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EncodedNotice> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Header writer = record.headers().lastHeader(TrailWriter.APPLICATION_HEADER);
        if (record.value() == null || writer == null || !Arrays.equals(writer.value(), applicationId)) {
            return;
        }
        EncodedNotice routed = routed(record);
        if (routed == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(TrailWriter.APPLICATION_HEADER);
        headers.remove(TrailWriter.NOTICE_HEADER);
        context.forward(record.withValue(routed).withHeaders(headers));
    }

    /**
     * The notice the event carries, from its header (with the header's bytes, which the digest stage
     * keeps as they are) or (previous version) its JSON; null when it carries none.
     */
    private static EncodedNotice routed(FixedKeyRecord<String, byte[]> record) {
        Header notice = record.headers().lastHeader(TrailWriter.NOTICE_HEADER);
        if (notice != null && notice.value() != null) {
            return InternalSerdes.decodeHead(notice.value());
        }
        TrailEvent event = TrailEvent.CODEC.decode(record.value());
        if (event.type() != TrailEvent.Type.NOTICE || event.notice() == null) {
            return null;
        }
        return EncodedNotice.whole(RoutedNotice.of(event.notice(), event.digestLine()));
    }
}
