package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Malformed records for every topic: invalid JSON, a schema version no reader knows, a value close to
 * the broker's 1 MB limit, invalid UTF-8, and JSON missing its required fields. Keys start with
 * {@code chaos-bad-} so the check can tell them from the pipeline's own records.
 *
 * <p>{@link #underRealKeys} writes the same values, and a truncated copy of the real value, under
 * keys the services really look up (a job's checkpoint, a notice's ledger entry, a person's
 * directory entry): a reader that trusted the latest record per key would lose its place.
 */
final class BadInput {

    static final String KEY_PREFIX = "chaos-bad-";

    private BadInput() {
    }

    /** The malformed values by name. */
    static Map<String, byte[]> values() {
        Map<String, byte[]> v = new LinkedHashMap<>();
        v.put("invalid-json", "{\"schemaVersion\":1,\"id\":".getBytes(StandardCharsets.UTF_8));
        v.put("wrong-schema-version", "{\"schemaVersion\":99,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        v.put("huge-value", ("{\"schemaVersion\":1,\"pad\":\"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        v.put("invalid-utf8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '"', '}'});
        v.put("missing-fields", "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
        return v;
    }

    /**
     * For up to {@code keys} distinct keys among {@code real} (records of {@code topic}), every
     * malformed value and the real value cut in half, under that key.
     */
    static List<ProducerRecord<byte[], byte[]>> underRealKeys(String topic, List<ConsumerRecord<byte[], byte[]>> real, int keys) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : real) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (key != null && !key.startsWith(KEY_PREFIX) && r.value() != null && r.value().length > 1) {
                latest.put(key, r.value());
            }
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        latest.entrySet().stream().limit(keys).forEach(e -> {
            values().forEach((kind, value) -> out.add(KafkaIo.record(topic, e.getKey(), value)));
            out.add(KafkaIo.record(topic, e.getKey(), Arrays.copyOf(e.getValue(), e.getValue().length / 2)));
        });
        return out;
    }

    static List<ProducerRecord<byte[], byte[]>> records(List<String> topics) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (String topic : topics) {
            values().forEach((kind, value) -> out.add(KafkaIo.record(topic, KEY_PREFIX + kind, value)));
        }
        return out;
    }
}
