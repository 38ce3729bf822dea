package io.kdpipe.transformer.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.MessageFitter;
import io.kdpipe.transformer.notice.NoticeFormat;
import io.kdpipe.transformer.notice.NoticeTemplates;
import io.kdpipe.transformer.notice.RoutedNotice;
import io.kdpipe.transformer.serde.InternalSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A closed window's digests are committed at once, not at the next commit interval; nothing else asks
 * for a commit (a notice passing at once waits for the interval, as every other output does).
 */
class DigestCommitTest {

    private static final String WINDOWS = "digest-windows";
    private static final String PENDING = "digest-pending";
    private static final long T0 = Instant.parse("2026-12-07T01:00:00Z").toEpochMilli();

    private final MockProcessorContext<String, Notice> context = new MockProcessorContext<>();
    private Punctuator tick;
    private DigestProcessor digests;

    @BeforeEach
    void start() {
        KeyValueStore<String, DigestWindow> windows = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WINDOWS),
                Serdes.String(), InternalSerdes.DIGEST_WINDOW.serde()).withLoggingDisabled().build();
        KeyValueStore<String, byte[]> pending = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        windows.init(context.getStateStoreContext(), windows);
        pending.init(context.getStateStoreContext(), pending);
        context.addStateStore(windows);
        context.addStateStore(pending);
        DigestSettings settings = new DigestSettings(true, Duration.ofSeconds(60), 1, 100, 1000, 16L << 20, Duration.ofSeconds(1));
        digests = new DigestProcessor(WINDOWS, PENDING, InternalSerdes.ROUTED_NOTICE.serde(),
                (topic, bytes) -> InternalSerdes.decodeWithoutMessage(bytes), settings, new HeldBytes(settings.maxHeldBytes()),
                new DigestBuilder(NoticeTemplates.defaults(), NoticeFormat.MARKDOWN, ZoneId.of("Asia/Shanghai"), new MessageFitter(),
                        settings.maxItems()),
                new TransformerMetrics(new SimpleMeterRegistry()));
        digests.init(context);
        tick = context.scheduledPunctuators().get(0).getPunctuator();
    }

    @Test
    void shouldAskForACommitWhenAClosedWindowSendsItsDigest() {
        context.setCurrentSystemTimeMs(T0);
        for (int i = 0; i < 3; i++) {
            digests.process(new Record<>("zhangwei", EncodedNotice.whole(notice(i)), T0));
        }
        assertThat(context.forwarded()).as("the first of the window at once").hasSize(1);
        assertThat(context.committed()).as("a notice passing at once waits for the commit interval").isFalse();

        tick.punctuate(T0 + 30_000);
        assertThat(context.committed()).as("window still open").isFalse();

        tick.punctuate(T0 + 61_000);
        assertThat(context.forwarded()).hasSize(2);
        assertThat(context.forwarded().get(1).record().value().kind()).isEqualTo(Notice.Kind.DIGEST);
        assertThat(context.committed()).as("the digest is committed at once").isTrue();

        context.resetCommit();
        tick.punctuate(T0 + 62_000);
        assertThat(context.committed()).as("nothing due").isFalse();
    }

    @Test
    void shouldNotAskForACommitWhenAClosingWindowHeldNothing() {
        context.setCurrentSystemTimeMs(T0);
        digests.process(new Record<>("lina", EncodedNotice.whole(notice(0)), T0));
        assertThat(context.forwarded()).hasSize(1);

        tick.punctuate(T0 + 61_000);

        assertThat(context.forwarded()).as("its only notice went out at once").hasSize(1);
        assertThat(context.committed()).isFalse();
    }

    private static RoutedNotice notice(int i) {
        Instant at = Instant.ofEpochMilli(T0).plusSeconds(i);
        Notice notice = new Notice(Notice.VERSION, "n" + i, Notice.Kind.CREATED, List.of("acct:C" + i),
                new Notice.Recipients(List.of("zhangwei"), List.of(), List.of()), TextNode.valueOf("新客户 C" + i),
                new Notice.Provenance("kingdee.customers.v1", 0, i, at, null), at, null);
        return new RoutedNotice(RoutedNotice.VERSION, notice, "- 客户 C" + i);
    }
}
