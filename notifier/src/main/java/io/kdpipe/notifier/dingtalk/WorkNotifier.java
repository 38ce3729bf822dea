package io.kdpipe.notifier.dingtalk;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends one DingTalk work notification to up to 100 users and 20 departments: the notifier's one side effect. */
@FunctionalInterface
public interface WorkNotifier {

    /** One {@code asyncsend_v2} call (a token refresh and one retry included); never throws for DingTalk errors. */
    SendAnswer send(List<String> userIds, List<String> deptIds, JsonNode msg);
}
