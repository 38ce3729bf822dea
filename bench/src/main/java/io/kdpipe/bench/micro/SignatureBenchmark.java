package io.kdpipe.bench.micro;

import java.util.concurrent.TimeUnit;

import io.kdpipe.extractor.kingdee.Signatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Kingdee's SDK signature headers: the per-call API signature and the app-data signature. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {

    static final String APP_ID = "224890_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4";
    static final String APP_SECRET = "0123456789abcdef0123456789abcdef";
    static final String PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc";

    String appData = Signatures.appData("6650a1b2c3d4e5", "administrator", 2052, "100");

    @Benchmark
    public String apiSignature() {
        return Signatures.apiSignature(PATH, "1700000000123456", "1700000000", APP_ID);
    }

    @Benchmark
    public String kdSignature() {
        return Signatures.kdSignature(APP_ID, appData, APP_SECRET);
    }
}
