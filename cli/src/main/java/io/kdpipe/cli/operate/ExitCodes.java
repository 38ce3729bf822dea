package io.kdpipe.cli.operate;

/** Exit statuses of the operator commands, for scripts. */
public final class ExitCodes {

    /** Done as asked. */
    public static final int OK = 0;
    /** Failed while working (a Kafka or DingTalk error, nothing found to act on where something was expected). */
    public static final int FAILED = 1;
    /** Bad arguments or configuration; nothing was done. */
    public static final int USAGE = 2;
    /** Refused: not confirmed, already replayed, or a target outside the allow-list. */
    public static final int REFUSED = 3;
    /** Kafka (or DingTalk) could not be reached within the timeout; nothing was done. */
    public static final int UNREACHABLE = 4;
    /** Done, but some items could not be handled (e.g. mobiles DingTalk does not know); they are listed. */
    public static final int INCOMPLETE = 5;

    private ExitCodes() {
    }
}
