package io.kdpipe.transformer.errors;

import java.util.Map;

import org.apache.kafka.common.Configurable;

/**
 * What the rows error handlers share: Kafka Streams creates each from its class name and configures
 * it with the Streams config, which names the dead-letter topic and holds the metrics.
 */
abstract class DeadLetteringHandler implements Configurable {

    private DeadLetters deadLetters;

    @Override
    public final void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.configure(configs);
    }

    final DeadLetters deadLetters() {
        return deadLetters;
    }
}
