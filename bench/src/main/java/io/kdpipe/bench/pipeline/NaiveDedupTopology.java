package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * B1-naive: the exactly-once dedup topology a user would write from Kafka Streams' examples, reading
 * rows as the examples' JSON serde does ({@link #ROWS}). It keeps
 * the last fingerprint per key in a persistent, changelogged store (the store builder's defaults, the
 * exactly-once default commit interval of 100 ms) and
 * forwards a row only when its fingerprint (SHA-256 over every field but {@code FModifyDate}) differs
 * from the stored one. No notices, routing, digests or trail: the floor for "exactly once, state per
 * key, emit on change".
 */
public final class NaiveDedupTopology {

    static final String STORE = "last-fingerprint";

    /**
     * Rows read as the JSON serde of Kafka Streams' examples reads a value ({@code ObjectMapper.readValue}
     * into the class, here with the contract's mapper) and written with the contract's own writer (faster
     * than the examples' {@code writeValueAsBytes}): the cheaper of the two at each end.
     */
    static final Serde<CustomerRow> ROWS = Serdes.serdeFrom(
            (topic, row) -> row == null ? null : CustomerRow.CODEC.encode(row),
            (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                try {
                    return Json.mapper().readValue(bytes, CustomerRow.class);
                } catch (IOException e) {
                    throw new SerializationException(e);
                }
            });

    private NaiveDedupTopology() {
    }

    public static Topology build(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()));
        builder.stream(input, Consumed.with(Serdes.String(), ROWS))
                .processValues(EmitOnChange::new, STORE)
                .to(output, Produced.with(Serdes.String(), ROWS));
        return builder.build();
    }

    public static Properties properties(String bootstrap, String applicationId, String stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // one request in flight, as kdpipe's transformer (with Kafka's default of 5, transactions v2 refuses and
        // retries out-of-order first batches: see transformer/README.md); not its batch size, which a user writing
        // from Kafka's examples would not set (B1-naive-tuned adds it, in the application's spec)
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        return p;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class EmitOnChange implements FixedKeyProcessor<String, CustomerRow, CustomerRow> {
        private FixedKeyProcessorContext<String, CustomerRow> context;
        private KeyValueStore<String, byte[]> store;
        private final MessageDigest sha256;

        EmitOnChange() {
            sha256 = sha256();
        }

        @Override
        public void init(FixedKeyProcessorContext<String, CustomerRow> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, CustomerRow> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            for (Map.Entry<String, JsonNode> e : record.value().fields().entrySet()) {
                if (!e.getKey().equals("FModifyDate")) {
                    sha256.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                    sha256.update(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] fingerprint = sha256.digest();
            if (!Arrays.equals(fingerprint, store.get(record.key()))) {
                store.put(record.key(), fingerprint);
                context.forward(record);
            }
        }
    }
}
