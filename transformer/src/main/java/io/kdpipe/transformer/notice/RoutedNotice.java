package io.kdpipe.transformer.notice;

import io.kdpipe.common.contract.Codec;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.contract.Versioned;

/**
 * A built notice on its way to the digest stage (it travels inside its trail event) and in the
 * {@code digest-pending} store: the notice itself plus the line it becomes if it is folded into a
 * digest (already escaped for the notice format). Encoded by
 * {@code InternalSerdes.ROUTED_NOTICE}; {@link #CODEC} is the JSON form earlier versions wrote, still read.
 */
public record RoutedNotice(int schemaVersion, Notice notice, String digestLine) implements Versioned {

    public static final int VERSION = 1;
    public static final Codec<RoutedNotice> CODEC = new Codec<>(RoutedNotice.class, VERSION);

    public static RoutedNotice of(Notice notice, String digestLine) {
        return new RoutedNotice(VERSION, notice, digestLine);
    }
}
