/**
 * The DingTalk sandbox: a real HTTP server speaking DingTalk's work-notification APIs with its limits,
 * per-user inboxes and switchable faults. Start one with {@link io.kdpipe.sandbox.dingtalk.DingTalkSandbox#start}.
 */
package io.kdpipe.sandbox.dingtalk;
