package io.kdpipe.notifier.dingtalk;

import java.util.List;
import java.util.Map;

/**
 * What {@code getsendresult} said about one task.
 *
 * @param verdict         the classified answer; the lists are empty unless it is ok
 * @param invalid         userids DingTalk did not know
 * @param forbidden       userids DingTalk did not deliver to because of a limit
 * @param failed          userids the delivery failed for
 * @param forbiddenCodes  per forbidden userid, the limit code ({@code 143106} duplicate content, {@code 143105} daily cap …)
 * @param reached         userids listed as read or unread: the message is in their DingTalk
 */
public record ResultCheck(Verdict verdict, List<String> invalid, List<String> forbidden, List<String> failed,
                          Map<String, String> forbiddenCodes, List<String> reached) {
}
