package io.kdpipe.bench.micro;

import java.util.concurrent.TimeUnit;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.transformer.change.CustomerState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Row parsing ({@code CustomerRow.CODEC.decode}) and the change detector's state + fingerprint. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RowBenchmark {

    byte[] bytes;
    CustomerRow row;

    @Setup
    public void setup() {
        row = Fixtures.row();
        bytes = CustomerRow.CODEC.encode(row);
    }

    @Benchmark
    public CustomerRow decodeRow() {
        return CustomerRow.CODEC.decode(bytes);
    }

    /** The same bytes read as B1-naive reads them: the shared mapper binding the record. */
    @Benchmark
    public CustomerRow decodeRowByBinding() throws java.io.IOException {
        return Json.mapper().readValue(bytes, CustomerRow.class);
    }

    @Benchmark
    public CustomerState fingerprintRow() {
        return CustomerState.of(row, Fixtures.WATCHED);
    }

    @Benchmark
    public CustomerState decodeAndFingerprint() {
        return CustomerState.of(CustomerRow.CODEC.decode(bytes), Fixtures.WATCHED);
    }
}
