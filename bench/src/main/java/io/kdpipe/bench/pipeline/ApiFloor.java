package io.kdpipe.bench.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The least time Kingdee alone needs for a snapshot: the extractor's jobs run side by side, and each
 * job's queries one after the other (one query in flight per job: the next page's query needs the
 * last key of the page before it), so the snapshot lasts at least as long as its longest job's
 * queries at Kingdee's time per query. The average {@code queries × latency ÷ jobs} is lower
 * whenever the pages do not split evenly between the jobs.
 *
 * @param queriesPerJob {@code ExecuteBillQuery} queries each job sent, by job id
 * @param latency       Kingdee's time per query
 */
public record ApiFloor(Map<String, Long> queriesPerJob, Duration latency) {

    public ApiFloor {
        if (queriesPerJob.isEmpty()) {
            throw new IllegalArgumentException("no job sent a query");
        }
        queriesPerJob = Map.copyOf(queriesPerJob);
    }

    public long queries() {
        return queriesPerJob.values().stream().mapToLong(Long::longValue).sum();
    }

    public long longestJobQueries() {
        return queriesPerJob.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** The floor: the longest job's queries × the latency, in seconds. */
    public double seconds() {
        return longestJobQueries() * latency.toNanos() / 1e9;
    }

    /** {@code queries × latency ÷ jobs}: the floor only if every job sent as many queries. */
    public double averageSeconds() {
        return queries() * latency.toNanos() / 1e9 / queriesPerJob.size();
    }

    /** {@code job=queries, …} in job order. */
    public String perJob() {
        return new TreeMap<>(queriesPerJob).toString();
    }
}
