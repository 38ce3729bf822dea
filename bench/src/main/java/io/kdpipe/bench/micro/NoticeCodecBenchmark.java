package io.kdpipe.bench.micro;

import java.util.concurrent.TimeUnit;

import io.kdpipe.common.contract.Notice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@code Notice.CODEC}: serializing a built notice and reading it back. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NoticeCodecBenchmark {

    Notice notice;
    byte[] bytes;

    @Setup
    public void setup() {
        notice = Fixtures.notice();
        bytes = Notice.CODEC.encode(notice);
    }

    @Benchmark
    public byte[] encodeNotice() {
        return Notice.CODEC.encode(notice);
    }

    @Benchmark
    public Notice decodeNotice() {
        return Notice.CODEC.decode(bytes);
    }
}
