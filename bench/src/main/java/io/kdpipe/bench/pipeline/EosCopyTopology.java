package io.kdpipe.bench.pipeline;

import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * B1-eoscopy: the exactly-once ceiling. A Kafka Streams application that copies its input to an
 * output topic as bytes, with no state and no decoding, under {@code exactly_once_v2} and the same
 * settings as {@link NaiveDedupTopology} (Kafka Streams' exactly-once default commit interval of
 * 100 ms, one in-flight request per connection). What it loses against the plain copy is what
 * exactly-once itself costs on this broker and these cores: transactions, markers, the offsets
 * written inside each transaction.
 */
public final class EosCopyTopology {

    private EosCopyTopology() {
    }

    public static Topology build(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    public static Properties properties(String bootstrap, String applicationId, String stateDir) {
        return NaiveDedupTopology.properties(bootstrap, applicationId, stateDir);
    }
}
