package io.kdpipe.transformer.digest;

import io.kdpipe.transformer.notice.RoutedNotice;

/**
 * A notice arriving at the digest stage, with the bytes it arrived in when they are already in the
 * {@code digest-pending} layout ({@code InternalSerdes.ROUTED_NOTICE}): a held notice is then kept
 * as those bytes, not encoded again. In memory only.
 *
 * @param routed   the notice and its digest line
 * @param encoded  {@code routed} as {@code InternalSerdes.ROUTED_NOTICE} writes it, or null to encode it when held
 */
public record EncodedNotice(RoutedNotice routed, byte[] encoded) {
}
