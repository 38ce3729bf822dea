package io.kdpipe.transformer.digest;

import io.kdpipe.transformer.binary.Binary;
import io.kdpipe.transformer.notice.RoutedNotice;

/**
 * A notice arriving at the digest stage. Most notices of a burst are held and later listed in a
 * digest by their digest line, so the message, the largest part of a notice, is read only for a
 * notice that goes out as it is. With {@code encoded}, the notice arrived in the {@code digest-pending}
 * layout ({@code InternalSerdes.ROUTED_NOTICE}): {@code head} was read from it without its message
 * ({@code InternalSerdes.decodeHead}), and a held notice is kept as those bytes, not encoded again
 * ({@link #withoutMessage()} when its message will not be needed). Without, {@code head} is the whole
 * notice. In memory only.
 *
 * @param head         the notice (its message left unread when {@code encoded} is set) and its digest line
 * @param encoded      the notice as {@code InternalSerdes.ROUTED_NOTICE} writes it, or null
 * @param messageFrom  where the message starts in {@code encoded} ({@link Binary#writeJson}), or -1 when not known
 * @param messageTo    where it ends (exclusive), or -1
 */
public record EncodedNotice(RoutedNotice head, byte[] encoded, int messageFrom, int messageTo) {

    /** A notice that arrived whole (as JSON, from an earlier version's trail event). */
    public static EncodedNotice whole(RoutedNotice routed) {
        return new EncodedNotice(routed, null, -1, -1);
    }

    /**
     * {@code encoded} with the message replaced by JSON null: what a digest needs of the notice, about
     * half its bytes. {@code encoded} itself when the message's place is not known.
     */
    public byte[] withoutMessage() {
        return messageFrom < 0 ? encoded : Binary.withNullAt(encoded, messageFrom, messageTo);
    }
}
