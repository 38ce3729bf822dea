package io.kdpipe.extractor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/** Clients that hand every call to {@code real}; a test overrides the one client it changes. */
abstract class ForwardingClients implements KafkaClients {

    final KafkaClients real;

    ForwardingClients(KafkaClients real) {
        this.real = real;
    }

    @Override
    public Producer<String, byte[]> producer(String transactionalId) {
        return real.producer(transactionalId);
    }

    @Override
    public Consumer<byte[], byte[]> groupConsumer() {
        return real.groupConsumer();
    }

    @Override
    public Consumer<String, byte[]> checkpointConsumer() {
        return real.checkpointConsumer();
    }

    @Override
    public Admin admin() {
        return real.admin();
    }
}
