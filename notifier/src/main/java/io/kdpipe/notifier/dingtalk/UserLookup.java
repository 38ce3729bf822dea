package io.kdpipe.notifier.dingtalk;

/**
 * What the contacts API said of a userid.
 *
 * @param found    a member, not found (unknown, or the person left), or no usable answer
 * @param verdict  the classified answer
 */
public record UserLookup(Found found, Verdict verdict) {

    public enum Found { MEMBER, NOT_FOUND, NO_ANSWER }
}
