package io.kdpipe.transformer.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.transformer.TransformerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbConfigTest {

    @Test
    void shouldPointEveryStoreAtTheSharedPool() {
        try (RocksDbMemory memory = new RocksDbMemory(64L * 1024 * 1024); Options a = options(); Options b = options()) {
            Map<String, Object> configs = new HashMap<>();
            memory.configure(new Properties()).forEach((k, v) -> configs.put((String) k, v));

            new BoundedRocksDbConfig().setConfig("customer-state", a, configs);
            new BoundedRocksDbConfig().setConfig("digest-pending", b, configs);

            assertThat(configs.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbConfig.class);
            for (Options o : new Options[] {a, b}) {
                assertThat(o.writeBufferSize()).isEqualTo(8L * 1024 * 1024);
                assertThat(((BlockBasedTableConfig) o.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
                assertThat(((BlockBasedTableConfig) o.tableFormatConfig()).pinTopLevelIndexAndFilter()).isTrue();
            }
        }
    }

    @Test
    void shouldRefuseToRunWithoutThePool() {
        try (Options o = options()) {
            assertThatThrownBy(() -> new BoundedRocksDbConfig().setConfig("customer-state", o, Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("memory pool is missing");
        }
    }

    @Test
    void shouldSizeThePoolFromConfigForA256MiBHeapByDefault() {
        assertThat(config(Map.of()).rocksDbMemoryMb()).isEqualTo(32);
        assertThat(config(Map.of("KDPIPE_ROCKSDB_MEMORY_MB", "128")).rocksDbMemoryMb()).isEqualTo(128);
        assertThatThrownBy(() -> config(Map.of("KDPIPE_ROCKSDB_MEMORY_MB", "4"))).hasMessageContaining("KDPIPE_ROCKSDB_MEMORY_MB");
    }

    private static TransformerConfig config(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9");
        return TransformerConfig.read(new ConfigReader(ConfigSource.of(env)));
    }

    private static Options options() {
        Options o = new Options();
        o.setTableFormatConfig(new BlockBasedTableConfig());
        return o;
    }
}
