package io.kdpipe.bench.micro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import io.kdpipe.bench.report.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH microbenchmarks briefly (1 fork, 2 × 1 s warm-up, 3 × 1 s measurement) and reports score ± error. */
public final class Micro {

    private Micro() {
    }

    public static List<Result> run() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(RowBenchmark.class.getSimpleName())
                .include(TemplateBenchmark.class.getSimpleName())
                .include(SignatureBenchmark.class.getSimpleName())
                .include(NoticeCodecBenchmark.class.getSimpleName())
                .include(DirectoryLookupsBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                // replaces the host JVM's arguments (a flight recording there would collide with the fork's)
                .jvmArgs("-Xmx512m")
                .build();
        return results(new Runner(options).run());
    }

    /** A very short in-process run of the benchmarks matching {@code include}, to check the harness. */
    public static List<Result> smoke(String include) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(include)
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(2).measurementTime(TimeValue.milliseconds(100))
                .build();
        return results(new Runner(options).run());
    }

    static List<Result> results(Collection<RunResult> runs) {
        List<Result> results = new ArrayList<>();
        for (RunResult run : runs) {
            var p = run.getPrimaryResult();
            String label = run.getParams().getBenchmark();
            String name = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            double score = p.getScore();
            double error = p.getScoreError();
            results.add(Result.info("M-" + name.substring(name.indexOf('.') + 1), name, score, p.getScoreUnit(), String.format(Locale.ROOT,
                    "± %.3f (99.9%% CI), %.0f ops/s per core; JMH 1 fork, 2x1 s warm-up, 3x1 s measurement", error,
                    score > 0 ? 1e6 / score : Double.NaN)));
        }
        return results;
    }
}
