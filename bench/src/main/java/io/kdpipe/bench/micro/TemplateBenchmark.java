package io.kdpipe.bench.micro;

import java.util.concurrent.TimeUnit;

import io.kdpipe.transformer.notice.RoutedNotice;
import io.kdpipe.transformer.notice.NoticeBuilder;
import io.kdpipe.transformer.routing.Resolution;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Building a CHANGED notice from the default markdown templates (render, escape, fit, id). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TemplateBenchmark {

    NoticeBuilder builder;
    Resolution resolution;

    @Setup
    public void setup() {
        builder = Fixtures.noticeBuilder();
        resolution = Fixtures.resolution();
    }

    @Benchmark
    public RoutedNotice buildNotice() {
        return builder.build(resolution);
    }
}
