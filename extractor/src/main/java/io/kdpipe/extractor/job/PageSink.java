package io.kdpipe.extractor.job;

import java.util.List;
import java.util.function.Consumer;

import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.CustomerRow;

/** Publishes one page's rows and dead letters together with the checkpoint that covers them, all or nothing. */
@FunctionalInterface
public interface PageSink {

    void commit(List<CustomerRow> rows, List<DeadLetter> deadLetters, Checkpoint checkpoint);

    /** This sink, then {@code committed} with each checkpoint once its page committed. */
    default PageSink then(Consumer<Checkpoint> committed) {
        return (rows, deadLetters, checkpoint) -> {
            commit(rows, deadLetters, checkpoint);
            committed.accept(checkpoint);
        };
    }
}
