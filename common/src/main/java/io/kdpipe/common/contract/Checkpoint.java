package io.kdpipe.common.contract;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * How far one extraction job has read, on {@code kdpipe.extractor.checkpoints.v1} keyed by job id.
 * It is written in the same transaction as the rows it covers, so it never runs ahead of them.
 *
 * @param jobId             the job: one account × form × filter
 * @param snapshotComplete  false while the job's first full read is under way
 * @param resumeAfter       during the snapshot: the last {@code FCUSTID} published, so a restart
 *                          continues after it; null once the snapshot is complete
 * @param watermark         the greatest {@code FModifyDate} published, in server-local time
 * @param keysAtWatermark   version keys {@code FCUSTID@FModifyDate} of every row published whose
 *                          {@code FModifyDate} lies within the overlap window ending at the
 *                          watermark, so an overlapping re-read publishes neither them twice nor
 *                          misses a late-committed row
 * @param rowsPublished     rows published by this job since it began
 * @param committedAt       when this checkpoint was written
 */
public record Checkpoint(
        int schemaVersion,
        String jobId,
        boolean snapshotComplete,
        String resumeAfter,
        LocalDateTime watermark,
        List<String> keysAtWatermark,
        long rowsPublished,
        Instant committedAt) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<Checkpoint> CODEC = new Codec<>(Checkpoint.class, VERSION);

    public Checkpoint {
        Require.text(jobId, "jobId");
        Require.present(committedAt, "committedAt");
        keysAtWatermark = Require.list(keysAtWatermark);
    }
}
