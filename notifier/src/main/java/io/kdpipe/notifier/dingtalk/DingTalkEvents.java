package io.kdpipe.notifier.dingtalk;

import java.time.Duration;

/** What the client reports as it works, for metrics. */
public interface DingTalkEvents {

    DingTalkEvents NONE = new DingTalkEvents() { };

    default void tokenRefreshed(boolean ok) { }

    default void call(String api, Verdict verdict, Duration latency) { }
}
