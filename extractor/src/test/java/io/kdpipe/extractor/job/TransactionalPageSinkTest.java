package io.kdpipe.extractor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TransactionalPageSinkTest {

    @Test
    void shouldCarryTheFailedSendThatPutTheTransactionInAnErrorState() {
        // as a real producer does: a send fails (its callback tells why), then the commit fails without saying why
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                errorNext(new RecordTooLargeException("the checkpoint is 1048700 bytes"));
                throw new KafkaException("Cannot execute transactional method because we are in an error state");
            }
        };
        producer.initTransactions();
        TransactionalPageSink sink = new TransactionalPageSink(producer, "customers", "checkpoints", "rows-dlt");
        CustomerRow row = CustomerRow.of("acct", "BD_Customer", "100001", Instant.EPOCH, Instant.EPOCH, CustomerRow.Phase.INCREMENTAL,
                Map.of("FName", TextNode.valueOf("甲")));
        Checkpoint cp = new Checkpoint(Checkpoint.VERSION, "job", true, null, null, List.of(), 1, Instant.EPOCH);

        KafkaException e = catchThrowableOfType(KafkaException.class, () -> sink.commit(List.of(row), List.of(), cp));

        assertThat(e).hasMessageContaining("error state");
        assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(RecordTooLargeException.class);
        assertThat(JobWorker.describe(e)).contains("RecordTooLargeException: the checkpoint is 1048700 bytes");
        assertThat(producer.transactionAborted()).isTrue();
    }
}
