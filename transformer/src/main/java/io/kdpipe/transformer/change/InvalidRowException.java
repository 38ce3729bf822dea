package io.kdpipe.transformer.change;

/** A row that decoded but cannot be processed; the processing handler dead-letters it. */
public final class InvalidRowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRowException(String message) {
        super(message);
    }
}
