package io.kdpipe.extractor.job;

/**
 * What a job is doing, for readiness and logs.
 *
 * @param healthy false while the job cannot make progress
 * @param detail  the reason a person can act on, e.g. the refused login or the bad field
 */
public record JobStatus(boolean healthy, String detail) {

    public static JobStatus starting() {
        return new JobStatus(true, "starting");
    }

    public static JobStatus ok(String detail) {
        return new JobStatus(true, detail);
    }

    public static JobStatus failing(String detail) {
        return new JobStatus(false, detail);
    }
}
