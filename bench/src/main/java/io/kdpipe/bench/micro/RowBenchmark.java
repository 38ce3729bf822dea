package io.kdpipe.bench.micro;

import java.util.concurrent.TimeUnit;

import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import io.kdpipe.transformer.change.CustomerState;
import io.kdpipe.transformer.change.Fingerprint;
import io.kdpipe.transformer.change.WatchedValues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Row parsing ({@code CustomerRow.CODEC.decode}) and the change detector's state + fingerprint, as
 * {@code ChangeDetector} makes it: the watched names resolved once, one {@link Fingerprint} reused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RowBenchmark {

    byte[] bytes;
    CustomerRow row;
    String[] watched;
    Fingerprint fingerprint;

    @Setup
    public void setup() {
        row = Fixtures.row();
        bytes = CustomerRow.CODEC.encode(row);
        watched = WatchedValues.names(Fixtures.WATCHED);
        fingerprint = new Fingerprint();
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
        return CustomerState.of(row, watched, fingerprint);
    }

    @Benchmark
    public CustomerState decodeAndFingerprint() {
        return CustomerState.of(CustomerRow.CODEC.decode(bytes), watched, fingerprint);
    }
}
