package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every pipeline benchmark shares: the broker, a run id for unique topic prefixes, group and
 * transactional ids, a scale factor and a scratch directory.
 */
public final class Ctx {

    private final Kafka kafka;
    private final String run;
    private final double scale;
    private final Path scratch;
    private final AtomicInteger seq = new AtomicInteger();

    public Ctx(Kafka kafka, String run, double scale, Path scratch) {
        this.kafka = kafka;
        this.run = run;
        this.scale = scale;
        this.scratch = scratch;
    }

    public Kafka kafka() {
        return kafka;
    }

    /** This run's id, the start of every id {@link #id} gives. */
    public String run() {
        return run;
    }

    public double scale() {
        return scale;
    }

    public int scaled(int n) {
        return Math.max(1, (int) Math.round(n * scale));
    }

    /** A fresh id (topic prefix, group, transactional id) for one benchmark part. */
    public String id(String what) {
        return run + "-" + what + "-" + seq.incrementAndGet();
    }

    public Path scratch(String what) {
        try {
            return Files.createDirectories(scratch.resolve(what + "-" + seq.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
