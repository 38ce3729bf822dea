package io.kdpipe.transformer.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.notice.RoutedNotice;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds bursts per recipient group. A group's window opens (wall clock) at its first notice and
 * lasts {@link DigestSettings#window()}. The first {@link DigestSettings#threshold()} notices of a
 * window pass at once, unchanged; later ones are held in {@code digest-pending} and go out as
 * {@code DIGEST} notices when the window ends (or early, when {@code maxPending} are held; they are
 * kept several to a {@code digest-pending} value, {@link PendingChunks}). A
 * window that ends with a single held notice sends that notice as it was; so the first notice held is
 * kept whole, and the later ones without their message, which a digest does not list. A notice without
 * recipients is never folded: it passes alone, so it can be re-routed on its own later.
 *
 * <p>Both stores are changelogged and written in the same transaction as the output, so a restart
 * resumes with every held notice and sends none of them twice. They are kept in memory, restored from
 * their changelogs: a held notice lives a window at most, and in RocksDB its value, rewritten at every
 * commit, kept the background flushes and compactions busy. What they hold is bounded per group
 * ({@code maxPending}) and, every group of the instance together, by {@link HeldBytes}: a notice that
 * takes the total past it makes this task send its largest groups' digests early, until the total is
 * back under it or the task holds nothing.
 */
public final class DigestProcessor implements Processor<String, EncodedNotice, String, Notice> {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();
    private static final char SEPARATOR = '/';

    private final String windowsStore;
    private final String pendingStore;
    private final DigestSettings settings;
    private final DigestBuilder builder;
    private final TransformerMetrics metrics;
    private ProcessorContext<String, Notice> context;
    private KeyValueStore<String, DigestWindow> windows;
    private final Serializer<RoutedNotice> noticeWriter;
    private final Deserializer<RoutedNotice> noticeReader;
    private final Deserializer<RoutedNotice> headReader;
    private KeyValueStore<String, byte[]> pending;
    private final HeldBytes held;
    // bytes each group of this task holds in the pending store (keys and values), counted in held
    private final Map<String, Long> heldByGroup = new HashMap<>();

    /**
     * @param noticeSerde  encodes the held notices inside {@code pendingStore}'s values ({@link PendingChunks})
     * @param headReader   reads what {@code noticeSerde} wrote without the message (which a digest does not list)
     */
    public DigestProcessor(String windowsStore, String pendingStore, Serde<RoutedNotice> noticeSerde,
            Deserializer<RoutedNotice> headReader, DigestSettings settings, HeldBytes held, DigestBuilder builder,
            TransformerMetrics metrics) {
        this.windowsStore = windowsStore;
        this.noticeWriter = noticeSerde.serializer();
        this.noticeReader = noticeSerde.deserializer();
        this.headReader = headReader;
        this.pendingStore = pendingStore;
        this.settings = settings;
        this.held = held;
        this.builder = builder;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Notice> context) {
        this.context = context;
        this.windows = context.getStateStore(windowsStore);
        this.pending = context.getStateStore(pendingStore);
        // the store is restored before processors start: count what it holds
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                count(kv.key.substring(0, Math.max(0, kv.key.lastIndexOf(SEPARATOR))), kv.key.length() + kv.value.length);
            }
        }
        // scheduled even when disabled, so windows held before the setting was turned off still close
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::closeDueWindows);
    }

    @Override
    public void process(Record<String, EncodedNotice> record) {
        String group = record.key();
        EncodedNotice arrived = record.value();
        // a notice that reaches nobody is dead-lettered; alone, it can be re-routed once the directory is fixed
        if (!settings.enabled() || arrived.head().notice().recipients().isEmpty()) {
            emit(record.withValue(whole(arrived)));
            return;
        }
        long now = context.currentSystemTimeMs();
        DigestWindow window = windows.get(group);
        if (window != null && due(window, now)) {
            flush(group, window, now);
            window = null;
        }
        if (window == null) {
            window = DigestWindow.open(now);
        }
        window = window.counted();
        if (window.count() <= settings.threshold()) {
            windows.put(group, window);
            emit(record.withValue(whole(arrived)));
            return;
        }
        String chunkKey = pendingKey(group, window.nextSeq());
        // only the first notice held can be the one a window ends with alone, sent as it was: the others
        // are kept without their message, which a digest does not list
        boolean first = window.pending() == 0;
        byte[] encoded = arrived.encoded() == null ? noticeWriter.serialize(pendingStore, arrived.head())
                : first ? arrived.encoded() : arrived.withoutMessage();
        byte[] before = pending.get(chunkKey);
        byte[] chunk = PendingChunks.append(before, encoded);
        pending.put(chunkKey, chunk);
        count(group, before == null ? chunkKey.length() + chunk.length : chunk.length - before.length);
        window = window.held(PendingChunks.full(chunk));
        if (window.pending() >= settings.maxPending()) {
            flushPending(group, window, now);
            window = window.flushed();
            metrics.digestEarly("max-pending");
        }
        windows.put(group, window);
        while (held.over() && !heldByGroup.isEmpty()) {
            sendLargestEarly(now);
        }
    }

    /** The group of this task holding the most bytes sends its digests now, its window staying open. */
    private void sendLargestEarly(long now) {
        String largest = Collections.max(heldByGroup.entrySet(), Map.Entry.comparingByValue()).getKey();
        DigestWindow window = windows.get(largest);
        if (window == null) {
            // not written so (a group's held notices go with its window); left as they are, not counted
            forget(largest);
            return;
        }
        flushPending(largest, window, now);
        windows.put(largest, window.flushed());
        metrics.digestEarly("max-held");
    }

    private void count(String group, long bytes) {
        heldByGroup.merge(group, bytes, Long::sum);
        held.add(bytes);
    }

    private void forget(String group) {
        Long bytes = heldByGroup.remove(group);
        if (bytes != null) {
            held.add(-bytes);
        }
    }

    @Override
    public void close() {
        heldByGroup.values().forEach(bytes -> held.add(-bytes));
        heldByGroup.clear();
    }

    /** The notice with its message, to send as it is. */
    private Notice whole(EncodedNotice arrived) {
        return arrived.encoded() == null ? arrived.head().notice() : noticeReader.deserialize(pendingStore, arrived.encoded()).notice();
    }

    private static boolean hasMessage(Notice notice) {
        return !notice.msg().isNull() && !notice.msg().isMissingNode();
    }

    private boolean due(DigestWindow window, long now) {
        return now >= window.startMs() + settings.window().toMillis();
    }

    private void closeDueWindows(long now) {
        List<KeyValue<String, DigestWindow>> due = new ArrayList<>();
        try (KeyValueIterator<String, DigestWindow> it = windows.all()) {
            while (it.hasNext()) {
                KeyValue<String, DigestWindow> kv = it.next();
                if (due(kv.value, now) || !settings.enabled()) {
                    due.add(kv);
                }
            }
        }
        boolean sent = false;
        for (KeyValue<String, DigestWindow> kv : due) {
            sent |= flush(kv.key, kv.value, now);
        }
        // a closed window's digests are due now: commit them at once rather than at the next commit
        // interval (under exactly-once they reach the notifier only when committed). At most once a tick,
        // and only when something went out
        if (sent) {
            context.commit();
        }
    }

    /** @return whether anything was sent */
    private boolean flush(String group, DigestWindow window, long now) {
        boolean sent = flushPending(group, window, now);
        windows.delete(group);
        return sent;
    }

    /** @return whether anything was sent */
    private boolean flushPending(String group, DigestWindow window, long now) {
        if (window.pending() == 0) {
            return false;
        }
        List<String> keys = new ArrayList<>();
        List<byte[]> held = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.prefixScan(group + SEPARATOR, PREFIX_SERIALIZER)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                keys.add(kv.key);
                held.addAll(PendingChunks.items(kv.value));
            }
        }
        keys.forEach(pending::delete);
        forget(group);
        if (held.isEmpty()) {
            return false;
        }
        if (held.size() == 1) {
            Notice alone = noticeReader.deserialize(pendingStore, held.get(0)).notice();
            if (hasMessage(alone)) {
                emit(new Record<>(group, alone, now));
                return true;
            }
            // kept without its message (not the first held): it goes out as a digest of one
        }
        // a digest lists its items by their digest lines: their messages are not read
        List<RoutedNotice> items = new ArrayList<>(held.size());
        for (byte[] item : held) {
            items.add(headReader.deserialize(pendingStore, item));
        }
        for (DigestBuilder.Digest digest : builder.build(items, window.startMs(), Instant.ofEpochMilli(now))) {
            metrics.digestOut(digest.items());
            emit(new Record<>(group, digest.notice(), now));
        }
        return true;
    }

    private void emit(Record<String, Notice> record) {
        metrics.noticeOut(record.value().kind());
        context.forward(record);
    }

    static String pendingKey(String group, long seq) {
        String digits = Long.toString(seq);
        return group + SEPARATOR + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }
}
