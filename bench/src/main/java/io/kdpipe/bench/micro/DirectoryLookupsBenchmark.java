package io.kdpipe.bench.micro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.transformer.routing.DirectoryLookups;
import io.kdpipe.transformer.routing.DirectorySerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A notice's directory lookup: from a task's kept copy ({@link DirectoryLookups}, what a notice
 * does while the directory does not change) against the read its copy saves, a RocksDB get of the
 * timestamped value and its decoding as the directory's store does it ({@link DirectorySerde}),
 * over 300 salespeople (without Kafka Streams' store layers above RocksDB, which cost more still).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DirectoryLookupsBenchmark {

    private static final int PEOPLE = 300;

    Path dir;
    Options options;
    RocksDB db;
    Deserializer<DirectoryEntry> decode;
    DirectoryLookups lookups;
    String[] keys;
    int next;

    @Setup
    public void setup() throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        dir = Files.createTempDirectory("kdpipe-jmh-directory-");
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, dir.toString());
        Serde<DirectoryEntry> serde = DirectorySerde.serde();
        decode = serde.deserializer();
        keys = new String[PEOPLE];
        for (int i = 0; i < PEOPLE; i++) {
            DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, String.format("XSY%03d", i),
                    "销售员" + i, "138000" + String.format("%05d", i), "user-" + i, null, Instant.EPOCH);
            keys[i] = e.key();
            byte[] value = serde.serializer().serialize(null, e);
            // a timestamped store keeps the record's timestamp (8 bytes) before the value
            byte[] stored = new byte[8 + value.length];
            System.arraycopy(value, 0, stored, 8, value.length);
            db.put(keys[i].getBytes(StandardCharsets.UTF_8), stored);
        }
        lookups = new DirectoryLookups(new DirectoryLookups.Changes(), this::read);
        for (String key : keys) {
            lookups.get(key);
        }
    }

    private DirectoryEntry read(String key) {
        try {
            byte[] stored = db.get(key.getBytes(StandardCharsets.UTF_8));
            return stored == null ? null : decode.deserialize(null, Arrays.copyOfRange(stored, 8, stored.length));
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    private String nextKey() {
        next = next + 1 == PEOPLE ? 0 : next + 1;
        return keys[next];
    }

    @Benchmark
    public DirectoryEntry lookupKept() {
        return lookups.get(nextKey());
    }

    @Benchmark
    public DirectoryEntry lookupStore() {
        return read(nextKey());
    }

    @TearDown
    public void tearDown() throws IOException {
        db.close();
        options.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
