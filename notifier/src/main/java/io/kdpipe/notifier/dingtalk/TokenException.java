package io.kdpipe.notifier.dingtalk;

/** No access token could be had; carries the verdict of the {@code gettoken} answer. Never holds the secret. */
public final class TokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Verdict verdict;

    public TokenException(Verdict verdict) {
        super("DingTalk gettoken failed: " + verdict.reason() + " (" + verdict.detail() + ")");
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
