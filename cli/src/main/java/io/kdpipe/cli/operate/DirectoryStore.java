package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Reads the latest entry per key of {@code dingtalk.directory.v1} and writes entries. */
final class DirectoryStore {

    private DirectoryStore() {
    }

    static Map<String, DirectoryEntry> latest(KafkaAccess kafka) {
        Map<String, DirectoryEntry> out = new TreeMap<>();
        kafka.scan(kafka.name(Topics.DIRECTORY), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                out.remove(key);
            } else if (DirectoryEntry.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<DirectoryEntry> ok) {
                out.put(key, ok.value());
            }
        });
        return out;
    }

    static void write(KafkaAccess kafka, List<DirectoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String topic = kafka.name(Topics.DIRECTORY);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(null, null)) {
            List<Future<?>> sends = entries.stream()
                    .<Future<?>>map(e -> producer.send(new ProducerRecord<>(topic,
                            e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e))))
                    .toList();
            producer.flush();
            for (Future<?> f : sends) {
                f.get(kafka.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new OperateException(ExitCodes.FAILED, "writing " + topic + " failed: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
    }
}
