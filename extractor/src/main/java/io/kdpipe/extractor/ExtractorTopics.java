package io.kdpipe.extractor;

import java.util.Map;

import io.kdpipe.common.topic.Topic;
import org.apache.kafka.common.serialization.Serdes;

/** The one topic only the extractor uses. */
public final class ExtractorTopics {

    private ExtractorTopics() {
    }

    /**
     * {@code kdpipe.extractor.jobs.v1}: never written. Replicas join one consumer group on it, and
     * whoever is assigned partition {@code p} owns the jobs mapped to {@code p}. One partition per job.
     */
    public static Topic<byte[], byte[]> jobs(int partitions) {
        return new Topic<>("kdpipe.extractor.jobs.v1", Serdes.ByteArray(), Serdes.ByteArray(), Math.max(1, partitions), Map.of());
    }
}
