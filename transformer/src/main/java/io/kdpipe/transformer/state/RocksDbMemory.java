package io.kdpipe.transformer.state;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One bounded pool of off-heap memory that every RocksDB store of this instance shares (Kafka
 * Streams' "bounded memory usage" recipe): a single LRU block cache of {@code totalBytes}, which
 * also holds the index and filter blocks, and a write-buffer manager that charges every memtable
 * to that same cache, its share limited to half of it. Without it each of the transformer's store
 * instances (three stores × six partitions, plus the global directory) has its own 50 MB block
 * cache and up to three 16 MB memtables.
 *
 * <p>Streams creates its config setter by class name, so the pool reaches {@link BoundedRocksDbConfig}
 * through the Streams properties under {@link #CONFIG}. Close it after Kafka Streams is closed:
 * the stores use it until then.
 */
public final class RocksDbMemory implements AutoCloseable {

    /** The Streams property carrying the pool to {@link BoundedRocksDbConfig}. */
    public static final String CONFIG = "kdpipe.transformer.rocksdb.memory";

    private static final long MIB = 1024 * 1024;
    // index and filter blocks go to the high-priority pool first, so data blocks cannot evict them
    private static final double HIGH_PRIORITY_RATIO = 0.1;

    private final long totalBytes;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;

    public RocksDbMemory(long totalBytes) {
        RocksDB.loadLibrary();
        this.totalBytes = totalBytes;
        // not strict: a full cache evicts rather than failing reads
        this.cache = new LRUCache(totalBytes, -1, false, HIGH_PRIORITY_RATIO);
        this.writeBuffers = new WriteBufferManager(totalBytes / 2, cache);
    }

    /** Adds the config setter and the pool to Streams properties. */
    public Properties configure(Properties streams) {
        streams.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        streams.put(CONFIG, this);
        return streams;
    }

    /** Points one store's options at the shared cache and write-buffer manager. */
    void apply(Options options) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        // smaller memtables than the 16 MB default, so nineteen stores fit the pool and each flush is small
        options.setWriteBufferSize(Math.max(MIB, Math.min(16 * MIB, totalBytes / 8)));
    }

    long totalBytes() {
        return totalBytes;
    }

    @Override
    public void close() {
        writeBuffers.close();
        cache.close();
    }
}
