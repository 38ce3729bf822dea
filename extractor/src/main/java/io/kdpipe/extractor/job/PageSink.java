package io.kdpipe.extractor.job;

import java.util.List;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;

/** Publishes one page's rows and dead letters together with the checkpoint that covers them, all or nothing. */
@FunctionalInterface
public interface PageSink {

    void commit(List<CustomerRow> rows, List<DeadLetter> deadLetters, Checkpoint checkpoint);
}
