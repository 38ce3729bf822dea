package io.kdpipe.notifier.dingtalk;

/**
 * Paces calls to DingTalk's message APIs. A call takes a {@link Permit} before it is sent and closes
 * it once the call has ended (answer received, or failed); the throttle may count the call against
 * its limit until some time after that end.
 */
@FunctionalInterface
public interface Throttle {

    Throttle NONE = () -> Permit.NONE;

    /** Blocks until the next call may start; close the permit when the call has ended. */
    Permit acquire();

    /** One call's right to go; closing it more than once has no further effect. */
    @FunctionalInterface
    interface Permit extends AutoCloseable {

        Permit NONE = () -> { };

        /** Tells the throttle the call has ended. */
        @Override
        void close();
    }
}
