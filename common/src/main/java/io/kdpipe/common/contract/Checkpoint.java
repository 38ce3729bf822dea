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
 * @param watermark         the greatest {@code FModifyDate} read in order, in server-local time;
 *                          with {@code watermarkKey} the keyset position ({@code FModifyDate},
 *                          {@code FCUSTID}) the next incremental read starts after
 * @param keysAtWatermark   version keys {@code FCUSTID@FModifyDate} of rows published whose
 *                          {@code FModifyDate} lies within the overlap window ending at the
 *                          watermark, at most {@link #MAX_LISTED_KEYS}: whole timestamps, newest
 *                          first (see {@code keysFrom})
 * @param rowsPublished     rows published by this job since it began
 * @param committedAt       when this checkpoint was written
 * @param watermarkKey      the {@code FCUSTID} of the last row read at the watermark; null when the
 *                          position lies after every row of the watermark (as in checkpoints written
 *                          before this field existed)
 * @param keysFrom          the oldest {@code FModifyDate} whose published versions
 *                          {@code keysAtWatermark} lists in full; versions older than it count as
 *                          published. Null when the list covers the whole overlap window
 */
public record Checkpoint(
        int schemaVersion,
        String jobId,
        boolean snapshotComplete,
        String resumeAfter,
        LocalDateTime watermark,
        List<String> keysAtWatermark,
        long rowsPublished,
        Instant committedAt,
        String watermarkKey,
        LocalDateTime keysFrom) implements Versioned {

    /** Readers of this version also read records written without {@code watermarkKey} and {@code keysFrom}. */
    public static final int VERSION = 1;
    public static final Codec<Checkpoint> CODEC = new Codec<>(Checkpoint.class, VERSION);
    /** Bounds {@code keysAtWatermark}, so a record stays some tens of kilobytes whatever a bulk save holds. */
    public static final int MAX_LISTED_KEYS = 1000;

    public Checkpoint {
        Require.text(jobId, "jobId");
        Require.present(committedAt, "committedAt");
        keysAtWatermark = Require.list(keysAtWatermark);
    }

    /** A checkpoint whose position lies after every row of its watermark, listing the whole window. */
    public Checkpoint(int schemaVersion, String jobId, boolean snapshotComplete, String resumeAfter, LocalDateTime watermark,
            List<String> keysAtWatermark, long rowsPublished, Instant committedAt) {
        this(schemaVersion, jobId, snapshotComplete, resumeAfter, watermark, keysAtWatermark, rowsPublished, committedAt, null, null);
    }
}
