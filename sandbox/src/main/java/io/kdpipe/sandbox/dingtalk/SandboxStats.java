package io.kdpipe.sandbox.dingtalk;

/**
 * What a sandbox has seen so far.
 *
 * @param sendCalls         {@code asyncsend_v2} requests received, refused ones included
 * @param countedCalls      calls counted toward the monthly quota
 * @param qpsViolations     calls refused with {@code 88}/{@code 90018} because the client went over the rate
 * @param tokensIssued      distinct access tokens handed out
 * @param delivered         messages put into inboxes
 * @param duplicates        copies not delivered under the same-content-same-day rule ({@code 143106})
 * @param overDailyCap      copies not delivered because of the per-user daily cap ({@code 143105})
 * @param faultsInjected    answers replaced by an injected fault
 */
public record SandboxStats(long sendCalls, long countedCalls, long qpsViolations, long tokensIssued, long delivered,
                           long duplicates, long overDailyCap, long faultsInjected) {
}
