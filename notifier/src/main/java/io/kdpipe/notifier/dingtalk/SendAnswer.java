package io.kdpipe.notifier.dingtalk;

/**
 * The outcome of one send.
 *
 * @param verdict  the classified answer
 * @param taskId   DingTalk's task id when accepted, otherwise null
 * @param calls    calls DingTalk counts toward the monthly quota (accepted calls)
 * @param http     HTTP requests made (token retry included), each paced by the rate limiter
 */
public record SendAnswer(Verdict verdict, Long taskId, int calls, int http) {
}
