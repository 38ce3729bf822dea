package io.kdpipe.cli.operate;

/** A failure to report to the operator as one message, with the exit status to end with. */
public final class OperateException extends RuntimeException {

    private final int exitCode;

    public OperateException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
