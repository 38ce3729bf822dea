package io.kdpipe.cli.local;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What flows through the pipeline, told in a few lines: a {@code read_committed} tail of the row,
 * notice, ledger and dead-letter topics. It counts every record since the cluster began (the
 * status page shows the counts) and, once it has caught up with what was there at start, prints
 * one line per batch of rows, per notice built, per delivery and per dead letter.
 */
final class FlowLog implements AutoCloseable {

    private static final int RECENT_LINES = 40;
    private static final int REMEMBERED_TITLES = 10_000;
    private static final int REMEMBERED_GAPS = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<String> out;
    private final Clock clock;
    private final Instant startedAt;
    private final String rows;
    private final String notices;
    private final String deliveries;
    private final String noticesDlt;
    private final String rowsDlt;
    private final Thread thread;
    private final Deque<String> recent = new ArrayDeque<>();
    private final Map<String, String> titles = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_TITLES;
        }
    };
    // directory entries notices could not go to (person:XSY009 → notices), the most recently seen kept
    private final Map<String, Long> gaps = new LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_GAPS;
        }
    };
    private long noticesWithGaps;
    private Map<TopicPartition, Long> history;
    private boolean caughtUp;
    private volatile boolean running = true;

    // counts since the cluster began
    private final Map<CustomerRow.Phase, Long> rowCounts = new EnumMap<>(CustomerRow.Phase.class);
    private final Map<Notice.Kind, Long> noticeCounts = new EnumMap<>(Notice.Kind.class);
    private long delivered;
    private long ledgerDeadLettered;
    private long noticeDeadLetters;
    private long rowDeadLetters;
    private Duration firstDeliveryAfterStart;

    FlowLog(Map<String, Object> clientProperties, String topicPrefix, Consumer<String> out, Clock clock, Instant startedAt) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        // only what the pipeline really committed is told
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // partitions are assigned by hand and read from the beginning each run: no group, no offsets
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.out = out;
        this.clock = clock;
        this.startedAt = startedAt;
        this.rows = Topics.CUSTOMERS.name(topicPrefix);
        this.notices = Topics.NOTICES.name(topicPrefix);
        this.deliveries = Topics.DELIVERIES.name(topicPrefix);
        this.noticesDlt = Topics.NOTICES_DLT.name(topicPrefix);
        this.rowsDlt = Topics.ROWS_DLT.name(topicPrefix);
        this.thread = new Thread(this::run, "kdpipe-local-flow-log");
        thread.setDaemon(true);
    }

    FlowLog start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(rows, notices, deliveries, noticesDlt, rowsDlt)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        history = new HashMap<>(consumer.endOffsets(partitions));
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(250));
                synchronized (this) {
                    take(batch);
                    if (!caughtUp && reachedHistory()) {
                        caughtUp = true;
                        if (total() > 0) {
                            say("earlier runs: " + summary());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            say("flow log stopped: " + e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean reachedHistory() {
        for (Map.Entry<TopicPartition, Long> e : history.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void take(ConsumerRecords<byte[], byte[]> batch) {
        Map<CustomerRow.Phase, Integer> rowsNow = new EnumMap<>(CustomerRow.Phase.class);
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            String topic = r.topic();
            if (topic.equals(rows)) {
                if (CustomerRow.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<CustomerRow> row) {
                    rowCounts.merge(row.value().phase(), 1L, Long::sum);
                    rowsNow.merge(row.value().phase(), 1, Integer::sum);
                }
            } else if (topic.equals(notices)) {
                if (Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                    Notice n = ok.value();
                    noticeCounts.merge(n.kind(), 1L, Long::sum);
                    String title = MessageHtml.title(n.msg());
                    titles.put(n.id(), title);
                    List<String> unresolved = n.recipients().unresolved();
                    if (!unresolved.isEmpty() && n.provenance().replayOf() == null) {
                        noticesWithGaps++;
                        unresolved.forEach(u -> gaps.merge(u, 1L, Long::sum));
                    }
                    if (caughtUp) {
                        say("notice    " + n.kind() + " " + title + " → " + String.join(",", n.recipients().userIds())
                                + (unresolved.isEmpty() ? "" : " (directory gap: " + String.join(", ", unresolved) + ")"));
                    }
                }
            } else if (topic.equals(deliveries)) {
                if (DeliveryRecord.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DeliveryRecord> ok) {
                    DeliveryRecord d = ok.value();
                    if (d.quotaMarker()) {
                        if (caughtUp) {
                            say("DingTalk says the monthly quota is used up (90020): sending waits for a probe or the new month");
                        }
                        continue;
                    }
                    if (d.status() == DeliveryRecord.Status.SENT && d.delivery() != DeliveryRecord.Delivery.ACCEPTED) {
                        if (caughtUp) {
                            String title = titles.getOrDefault(d.noticeId(), d.noticeId());
                            say((d.delivery() == DeliveryRecord.Delivery.DELIVERED ? "delivered " : "not delivered (" + d.reason() + ") ")
                                    + title + " (getsendresult)");
                        }
                        continue;
                    }
                    boolean first = false;
                    if (d.status() == DeliveryRecord.Status.SENT) {
                        delivered++;
                        if (caughtUp && firstDeliveryAfterStart == null) {
                            firstDeliveryAfterStart = Duration.between(startedAt, clock.instant());
                            first = true;
                        }
                    } else {
                        ledgerDeadLettered++;
                    }
                    if (caughtUp) {
                        String title = titles.getOrDefault(d.noticeId(), d.noticeId());
                        say((d.status() == DeliveryRecord.Status.SENT ? "accepted  " : "not sent  ") + title
                                + " → " + String.join(",", d.userIds())
                                + (d.sourceModifiedAt() == null ? "" : " (" + seconds(Duration.between(d.sourceModifiedAt(), d.completedAt())) + " after the save)"));
                    }
                    if (first) {
                        say("first notice of this run sent " + seconds(firstDeliveryAfterStart) + " after start");
                    }
                }
            } else if (topic.equals(noticesDlt)) {
                noticeDeadLetters++;
                if (caughtUp) {
                    say("DEAD LETTER notice: " + header(r, DeadLetterHeaders.REASON) + " " + header(r, DeadLetterHeaders.EXCEPTION_MESSAGE));
                }
            } else if (topic.equals(rowsDlt)) {
                rowDeadLetters++;
                if (caughtUp) {
                    say("DEAD LETTER row: " + header(r, DeadLetterHeaders.ERROR_CLASS) + " " + header(r, DeadLetterHeaders.EXCEPTION_MESSAGE));
                }
            }
        }
        if (caughtUp) {
            rowsNow.forEach((phase, n) -> say("extracted " + n + (n == 1 ? " row" : " rows") + " (" + phase + ")"));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private void say(String line) {
        String stamped = LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME) + "  " + line;
        recent.addLast(stamped);
        while (recent.size() > RECENT_LINES) {
            recent.removeFirst();
        }
        out.accept(stamped);
    }

    private long total() {
        return rowCounts.values().stream().mapToLong(Long::longValue).sum()
                + noticeCounts.values().stream().mapToLong(Long::longValue).sum() + delivered + noticeDeadLetters + rowDeadLetters;
    }

    private String summary() {
        return counts().rowsSnapshot() + " snapshot rows, " + counts().rowsIncremental() + " changed rows, "
                + counts().notices() + " notices, " + delivered + " sent, " + (noticeDeadLetters + rowDeadLetters) + " dead letters";
    }

    /** Counts per stage since the cluster began. */
    record Counts(long rowsSnapshot, long rowsIncremental, Map<Notice.Kind, Long> noticesByKind, long delivered,
                  long ledgerDeadLettered, long noticeDeadLetters, long rowDeadLetters, boolean caughtUp,
                  Duration firstDeliveryAfterStart, List<String> recent, long noticesWithGaps, Map<String, Long> gaps) {
        long notices() {
            return noticesByKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    synchronized Counts counts() {
        return new Counts(rowCounts.getOrDefault(CustomerRow.Phase.SNAPSHOT, 0L),
                rowCounts.getOrDefault(CustomerRow.Phase.INCREMENTAL, 0L), Map.copyOf(noticeCounts), delivered,
                ledgerDeadLettered, noticeDeadLetters, rowDeadLetters, caughtUp, firstDeliveryAfterStart, List.copyOf(recent),
                noticesWithGaps, new TreeMap<>(gaps));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
