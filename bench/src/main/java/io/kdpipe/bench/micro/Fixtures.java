package io.kdpipe.bench.micro;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.kdpipe.bench.pipeline.Rows;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.change.Change;
import io.kdpipe.transformer.change.FieldChange;
import io.kdpipe.transformer.change.FieldLabels;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeBuilder;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.kdpipe.transformer.notice.NoticeTemplates;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.transformer.routing.RecipientResolver;
import io.kdpipe.transformer.routing.Resolution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The inputs the microbenchmarks work on: one realistic row, its change, a built notice. */
public final class Fixtures {

    public static final List<String> WATCHED = List.of(TransformerConfig.DEFAULT_WATCHED.split(","));

    private Fixtures() {
    }

    public static CustomerRow row() {
        return Rows.row(4242, 1, 24, true, CustomerRow.Phase.INCREMENTAL);
    }

    public static NoticeBuilder noticeBuilder() {
        TransformerMetrics metrics = new TransformerMetrics(new SimpleMeterRegistry());
        return new NoticeBuilder(NoticeTemplates.defaults(), NoticeFormat.MARKDOWN, ZoneId.of("Asia/Shanghai"),
                new RecipientResolver(RoutingPolicy.read(new ConfigReader(ConfigSource.of(Map.of()))), metrics), new MessageFitter(),
                metrics);
    }

    public static Resolution resolution() {
        CustomerRow row = row();
        FieldLabels labels = FieldLabels.defaults();
        Change change = new Change(Notice.Kind.CHANGED, row, List.of(
                new FieldChange("FADDRESS", labels.label("FADDRESS"), "上海市南山区科技路42号", row.text("FADDRESS")),
                new FieldChange("FName", labels.label("FName"), "上海旧名有限公司", row.text("FName"))),
                "kingdee.customers.v1", 3, 123_456L, row.modifiedAt().toEpochMilli());
        DirectoryEntry seller = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, row.text("FSELLER_FNumber"),
                "销售员", "13800000001", "user-0001", null, Instant.EPOCH);
        return Resolution.of(change, seller);
    }

    public static Notice notice() {
        return noticeBuilder().build(resolution()).notice();
    }
}
