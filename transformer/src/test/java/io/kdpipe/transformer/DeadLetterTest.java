package io.kdpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Unreadable and unprocessable rows go to the rows DLT with their reason; the next row is processed. */
class DeadLetterTest {

    @Test
    void shouldDeadLetterUnreadableRowsAndKeepGoing() {
        try (TransformerHarness h = TransformerHarness.start()) {
            h.rawRows.pipeInput(Rows.key("1"), "{not json".getBytes(StandardCharsets.UTF_8));
            h.rawRows.pipeInput(Rows.key("2"), "{\"schemaVersion\":7}".getBytes(StandardCharsets.UTF_8));
            h.rawRows.pipeInput(Rows.key("3"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            h.rawRows.pipeInput(Rows.key("4"), "{\"schemaVersion\":1,\"account\":\"a\"}".getBytes(StandardCharsets.UTF_8));
            // decodes, but its key belongs to another customer
            h.rows.pipeInput(Rows.key("999"), Rows.customer("5").build());
            h.send(Rows.customer("1001"));

            // TopologyTestDriver does not deliver the deserialization handler's dead letters (PoisonRowsIT
            // shows them on a broker); it does count them and deliver the processing handler's
            assertThat(h.counter("kdpipe.transformer.dead.letters", "stage", "parse", "reason", "MALFORMED")).isEqualTo(2);
            assertThat(h.counter("kdpipe.transformer.dead.letters", "stage", "parse", "reason", "UNSUPPORTED_VERSION")).isEqualTo(1);
            assertThat(h.counter("kdpipe.transformer.dead.letters", "stage", "parse", "reason", "INVALID")).isEqualTo(1);
            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS)).isEqualTo("InvalidRowException");
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.STAGE)).isEqualTo("process");
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo(Topics.CUSTOMERS.name(""));
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("4");
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("does not match the row's key");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Rows.key("999"));
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"customerId\":\"5\"");
            });

            assertThat(h.readNotices()).extracting(Notice::kind).containsExactly(Notice.Kind.CREATED);
        }
    }
}
