package io.kdpipe.cli.operate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Reads and builds the records of {@code kdpipe.audit.v1}. */
final class AuditLog {

    private static final ObjectMapper MAPPER = Json.mapper();

    private AuditLog() {
    }

    static List<AuditRecord> readAll(KafkaAccess kafka) {
        List<AuditRecord> out = new ArrayList<>();
        kafka.scan(kafka.name(Topics.AUDIT), r -> {
            if (r.value() == null) {
                return;
            }
            try {
                out.add(MAPPER.readValue(r.value(), AuditRecord.class));
            } catch (IOException e) {
                // a record this version cannot read is not one of its own runs
            }
        });
        return out;
    }

    static ProducerRecord<byte[], byte[]> record(KafkaAccess kafka, AuditRecord audit) {
        try {
            return new ProducerRecord<>(kafka.name(Topics.AUDIT), audit.runId().getBytes(StandardCharsets.UTF_8),
                    MAPPER.writeValueAsBytes(audit));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit record not serializable", e);
        }
    }

    static String user() {
        return System.getProperty("user.name", "unknown");
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
