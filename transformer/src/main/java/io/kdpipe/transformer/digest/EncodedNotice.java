package io.kdpipe.transformer.digest;

import io.kdpipe.transformer.notice.RoutedNotice;

/**
 * A notice arriving at the digest stage. Most notices of a burst are held and later listed in a
 * digest by their digest line, so the message, the largest part of a notice, is read only for a
 * notice that goes out as it is. With {@code encoded}, the notice arrived in the {@code digest-pending}
 * layout ({@code InternalSerdes.ROUTED_NOTICE}): {@code head} was read from it without its message
 * ({@code InternalSerdes.decodeWithoutMessage}), and a held notice is kept as those bytes, not encoded
 * again. Without, {@code head} is the whole notice. In memory only.
 *
 * @param head     the notice (its message left unread when {@code encoded} is set) and its digest line
 * @param encoded  the notice as {@code InternalSerdes.ROUTED_NOTICE} writes it, or null
 */
public record EncodedNotice(RoutedNotice head, byte[] encoded) {

    /** A notice that arrived whole (as JSON, from an earlier version's trail event). */
    public static EncodedNotice whole(RoutedNotice routed) {
        return new EncodedNotice(routed, null);
    }
}
