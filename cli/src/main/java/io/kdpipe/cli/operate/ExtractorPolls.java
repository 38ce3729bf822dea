package io.kdpipe.cli.operate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last successful poll per extraction job, read from the extractors' {@code /metrics}
 * ({@code kdpipe_extractor_last_success_timestamp_seconds{job}}). Checkpoints are only written by polls
 * that publish rows, so a quiet job's checkpoint is older than its last poll; this is the exact time.
 * With several replicas, the newest value per job wins.
 */
final class ExtractorPolls {

    static final String METRIC = "kdpipe_extractor_last_success_timestamp_seconds";
    private static final Pattern LINE = Pattern.compile("^" + METRIC + "\\{([^}]*)}\\s+(\\S+).*$");
    private static final Pattern JOB = Pattern.compile("(?:^|,)job=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What the endpoints reported, and the endpoints that could not be read. */
    record Result(Map<String, Instant> lastSuccess, List<String> problems) {
    }

    private ExtractorPolls() {
    }

    static Result read(List<URI> endpoints, Duration timeout) {
        Map<String, Instant> out = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        for (URI uri : endpoints) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    problems.add(uri + ": HTTP " + r.statusCode());
                    continue;
                }
                parse(r.body()).forEach((job, at) -> out.merge(job, at, (a, b) -> a.isAfter(b) ? a : b));
            } catch (IOException e) {
                problems.add(uri + ": not reachable (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperateException(ExitCodes.FAILED, "interrupted");
            }
        }
        return new Result(out, problems);
    }

    /** The jobs and their last successful poll in a Prometheus text exposition. */
    static Map<String, Instant> parse(String exposition) {
        Map<String, Instant> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Matcher job = JOB.matcher(m.group(1));
            if (!job.find()) {
                continue;
            }
            try {
                double seconds = Double.parseDouble(m.group(2));
                if (seconds > 0) {
                    out.put(job.group(1).replace("\\\"", "\"").replace("\\\\", "\\"),
                            Instant.ofEpochMilli((long) (seconds * 1000)));
                }
            } catch (NumberFormatException e) {
                // not a sample value
            }
        }
        return out;
    }
}
