package io.kdpipe.transformer.trail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.transformer.notice.RoutedNotice;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The digest stage's input: the notices on {@code kdpipe.trail.v1} that this application built
 * ({@link TrailWriter#APPLICATION_HEADER}), each with its digest line. NOTICE events of earlier
 * versions carry no notice (theirs went through a repartition topic, and were folded there) and are
 * skipped, as are ROW events and the events of other applications. The header is checked before the
 * value is decoded, so the events this application did not write (all of them, once, after an upgrade)
 * cost no decoding. An event of this application that cannot be decoded throws, and is dead-lettered
 * like an unprocessable row.
 */
public final class TrailNotices implements FixedKeyProcessor<String, byte[], RoutedNotice> {

    private final byte[] applicationId;
    private FixedKeyProcessorContext<String, RoutedNotice> context;

    public TrailNotices(String applicationId) {
        this.applicationId = applicationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, RoutedNotice> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Header writer = record.headers().lastHeader(TrailWriter.APPLICATION_HEADER);
        if (record.value() == null || writer == null || !Arrays.equals(writer.value(), applicationId)) {
            return;
        }
        TrailEvent event = TrailEvent.CODEC.decode(record.value());
        if (event.type() != TrailEvent.Type.NOTICE || event.notice() == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(TrailWriter.APPLICATION_HEADER);
        context.forward(record.withValue(RoutedNotice.of(event.notice(), event.digestLine())).withHeaders(headers));
    }
}
