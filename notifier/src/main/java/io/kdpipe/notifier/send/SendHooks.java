package io.kdpipe.notifier.send;

import io.kdpipe.common.contract.Notice;

/** Points in the send loop a test can observe or interrupt, e.g. to crash between sending and committing. */
public interface SendHooks {

    SendHooks NONE = new SendHooks() { };

    /** DingTalk accepted {@code notice}; its ledger entry and offset are not committed yet. */
    default void sentNotCommitted(Notice notice) { }
}
