package io.kdpipe.common.contract;

/** The outcome of decoding bytes: a value, or the error to dead-letter them with. */
public sealed interface Decoded<T> {

    record Ok<T>(T value) implements Decoded<T> {
    }

    record Failed<T>(ContractException error) implements Decoded<T> {
    }

    default boolean ok() {
        return this instanceof Ok;
    }
}
