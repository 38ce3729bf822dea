package io.kdpipe.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Malformed records for every topic: invalid JSON, a schema version no reader knows, a value close to
 * the broker's 1 MB limit, invalid UTF-8, and JSON missing its required fields. Keys start with
 * {@code chaos-bad-} so the check can tell them from the pipeline's own records.
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

    static List<ProducerRecord<byte[], byte[]>> records(List<String> topics) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (String topic : topics) {
            values().forEach((kind, value) -> out.add(KafkaIo.record(topic, KEY_PREFIX + kind, value)));
        }
        return out;
    }
}
