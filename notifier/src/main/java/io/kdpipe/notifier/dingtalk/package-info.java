/** The DingTalk oapi client: access tokens, {@code asyncsend_v2}, {@code getsendresult} and the classification of their answers. */
package io.kdpipe.notifier.dingtalk;
