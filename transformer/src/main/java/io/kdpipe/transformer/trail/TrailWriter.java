package io.kdpipe.transformer.trail;

import java.nio.charset.StandardCharsets;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.TrailEvent;
import io.kdpipe.common.routing.Router;
import io.kdpipe.transformer.notice.BuiltNotice;
import io.kdpipe.transformer.serde.InternalSerdes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a built notice into its one trail event, keyed by the notice's recipient group so the digest
 * stage finds one group's notices on one partition. The event's value is the public JSON of
 * {@link TrailEvent} (the row behind the notice, the notice's id, kind and recipients); the notice
 * itself, with its digest line, rides along for the digest stage in {@link #NOTICE_HEADER}, in the
 * transformer's binary layout ({@code InternalSerdes.ROUTED_NOTICE}), so neither side writes or parses
 * it as JSON. The record also carries the writing application's id in {@link #APPLICATION_HEADER}: the
 * digest stage folds only the notices its own application built (another application id on the same
 * topics, a benchmark variant or a re-deployment under a new id, has its own).
 */
public final class TrailWriter implements Processor<String, BuiltNotice, String, TrailEvent> {

    /** Header naming the application that wrote a trail event. */
    public static final String APPLICATION_HEADER = "kdpipe.application.id";
    /** Header holding the notice and its digest line ({@code InternalSerdes.ROUTED_NOTICE}). */
    public static final String NOTICE_HEADER = "kdpipe.notice";

    private final byte[] applicationId;
    private ProcessorContext<String, TrailEvent> context;

    public TrailWriter(String applicationId) {
        this.applicationId = applicationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(ProcessorContext<String, TrailEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, BuiltNotice> record) {
        BuiltNotice built = record.value();
        Notice notice = built.routed().notice();
        TrailEvent event = TrailEvent.notice(record.key(), notice, built.row());
        // a copy: the input row's headers are shared with everything else the row produces
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(APPLICATION_HEADER);
        headers.remove(NOTICE_HEADER);
        headers.add(APPLICATION_HEADER, applicationId);
        headers.add(NOTICE_HEADER, InternalSerdes.ROUTED_NOTICE.encode(built.routed()));
        context.forward(new Record<>(Router.groupKey(notice.recipients()), event, record.timestamp(), headers));
    }
}
