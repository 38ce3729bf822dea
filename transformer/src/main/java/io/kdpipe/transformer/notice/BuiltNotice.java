package io.kdpipe.transformer.notice;

import io.kdpipe.common.contract.CustomerRow;

/**
 * A notice just built (in memory only), with the row behind it: the trail records both in one event.
 *
 * @param row     the row the change was found in
 * @param routed  the notice and its digest line
 */
public record BuiltNotice(CustomerRow row, RoutedNotice routed) {
}
