package io.kdpipe.cli.operate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Reads and builds the records of {@code kdpipe.audit.v1}. */
final class AuditLog {

    private AuditLog() {
    }

    static List<AuditRecord> readAll(KafkaAccess kafka) {
        List<AuditRecord> out = new ArrayList<>();
        kafka.scan(kafka.name(Topics.AUDIT), r -> {
            // a record this version cannot read is not one of its own runs
            if (r.value() != null && AuditRecord.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<AuditRecord> ok) {
                out.add(ok.value());
            }
        });
        return out;
    }

    static ProducerRecord<byte[], byte[]> record(KafkaAccess kafka, AuditRecord audit) {
        return new ProducerRecord<>(kafka.name(Topics.AUDIT), audit.runId().getBytes(StandardCharsets.UTF_8),
                AuditRecord.CODEC.encode(audit));
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
