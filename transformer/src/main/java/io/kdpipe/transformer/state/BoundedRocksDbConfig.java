package io.kdpipe.transformer.state;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/** Gives every RocksDB store the shared, bounded {@link RocksDbMemory} found in the Streams properties. */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (!(configs.get(RocksDbMemory.CONFIG) instanceof RocksDbMemory memory)) {
            throw new ConfigException(RocksDbMemory.CONFIG, configs.get(RocksDbMemory.CONFIG),
                    "the shared RocksDB memory pool is missing from the Streams properties");
        }
        memory.apply(options);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store: RocksDbMemory closes them after Streams
    }
}
