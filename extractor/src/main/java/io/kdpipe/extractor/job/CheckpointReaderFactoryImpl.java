package io.kdpipe.extractor.job;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import io.kdpipe.common.contract.Checkpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;

/** Reads a job's checkpoint with a fresh {@code read_committed} consumer each time. */
public final class CheckpointReaderFactoryImpl implements JobWorker.CheckpointReaderFactory {

    private final CheckpointReader reader;

    public CheckpointReaderFactoryImpl(Admin admin, Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.reader = new CheckpointReader(admin, consumers, topic, timeout);
    }

    @Override
    public Optional<Checkpoint> latest(String jobId) throws InterruptedException {
        return reader.latest(jobId);
    }
}
