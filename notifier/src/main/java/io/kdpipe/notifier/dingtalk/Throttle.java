package io.kdpipe.notifier.dingtalk;

/** Paces calls to DingTalk's message APIs; blocks until the next call may go. */
@FunctionalInterface
public interface Throttle {

    Throttle NONE = () -> { };

    void acquire();
}
