package io.kdpipe.notifier.send;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.notifier.dingtalk.Verdict;
import io.kdpipe.notifier.directory.UserChecks;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A notice read but not yet committed, with what its attempts so far achieved. */
final class InFlight {

    final ConsumerRecord<byte[], byte[]> record;
    final Decoded<Notice> decoded;
    final List<Long> taskIds = new ArrayList<>();
    final Set<Integer> chunksDone = new HashSet<>();
    int attempts;
    int calls;
    Instant firstAttemptAt;
    Instant firstFailureAt;
    Instant nextAttemptAt = Instant.MIN;
    Verdict lastFailure;
    /** The recipients after the free check, decided once per notice. */
    UserChecks.Screen screen;

    InFlight(ConsumerRecord<byte[], byte[]> record) {
        this.record = record;
        this.decoded = Notice.CODEC.tryDecode(record.value());
    }
}
