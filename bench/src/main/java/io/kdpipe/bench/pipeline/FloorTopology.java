package io.kdpipe.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * B1-floor: what "exactly once, state per customer, one record out per change" costs on this broker
 * and these cores when nothing is parsed. Rows stay bytes: the fingerprint is SHA-256 over the
 * value's bytes with its version and read time cut out (found by a byte search, not by reading
 * the JSON), kept per key in a persistent, changelogged store as {@link NaiveDedupTopology} keeps it,
 * and a row whose fingerprint changed is copied to the output as it came. The same properties and
 * producer batch size as B1-naive-tuned, so the two differ only in the reading and writing of rows.
 * It writes what the transformer writes per changed row at the least (a state record and one record
 * out), with none of its work: no row read, no change told, no notice built. A transformer can
 * be no faster on these cores; how far below it stays is the cost of the work.
 */
public final class FloorTopology {

    static final String STORE = "last-fingerprint";
    /** The row's version (field and contract) and when it was read: left out of the fingerprint. */
    private static final byte[][] VERSION_KEYS = {
        "\"FModifyDate\":\"".getBytes(StandardCharsets.UTF_8),
        "\"modifiedAt\":\"".getBytes(StandardCharsets.UTF_8),
        "\"extractedAt\":\"".getBytes(StandardCharsets.UTF_8),
    };

    private FloorTopology() {
    }

    public static Topology build(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.stream(input, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()))
                .processValues(EmitOnChange::new, STORE)
                .to(output, Produced.with(Serdes.Bytes(), Serdes.ByteArray()));
        return builder.build();
    }

    public static Properties properties(String bootstrap, String applicationId, String stateDir) {
        return NaiveDedupTopology.properties(bootstrap, applicationId, stateDir);
    }

    /**
     * The fingerprint of {@code row}: SHA-256 of its bytes without the string values of {@link #VERSION_KEYS}
     * (found by a byte search), which move with every version of a customer whether it changed or not.
     */
    static byte[] fingerprint(MessageDigest sha256, byte[] row) {
        int[] cuts = new int[2 * VERSION_KEYS.length];
        int n = 0;
        for (byte[] key : VERSION_KEYS) {
            int at = indexOf(row, key);
            if (at >= 0) {
                int to = at + key.length;
                while (to < row.length && row[to] != '"') {
                    to++;
                }
                cuts[n++] = at + key.length;
                cuts[n++] = to;
            }
        }
        int[] sorted = Arrays.copyOf(cuts, n);
        Arrays.sort(sorted); // the cuts do not overlap: sorting their ends keeps each from..to pair together
        int from = 0;
        for (int i = 0; i < n; i += 2) {
            sha256.update(row, from, sorted[i] - from);
            from = sorted[i + 1];
        }
        sha256.update(row, from, row.length - from);
        return sha256.digest();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final class EmitOnChange implements FixedKeyProcessor<Bytes, byte[], byte[]> {
        private final MessageDigest sha256;
        private FixedKeyProcessorContext<Bytes, byte[]> context;
        private KeyValueStore<Bytes, byte[]> store;

        EmitOnChange() {
            sha256 = NaiveDedupTopology.sha256();
        }

        @Override
        public void init(FixedKeyProcessorContext<Bytes, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(FixedKeyRecord<Bytes, byte[]> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            byte[] fingerprint = fingerprint(sha256, record.value());
            if (!Arrays.equals(fingerprint, store.get(record.key()))) {
                store.put(record.key(), fingerprint);
                context.forward(record);
            }
        }
    }
}
