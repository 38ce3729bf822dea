package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActiveLinkTest {

    @ParameterizedTest
    @ValueSource(strings = {"[点我](http://evil.example)", "![x](http://evil.example/i.png)", "<a href=\"http://x\">y</a>",
        "客户 [a](b) 名"})
    void activeLinksAreFound(String text) {
        assertThat(ConservationCheck.ACTIVE_LINK.matcher(text).find()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\[点我\\](http://evil.example)", "!\\[x\\](http://evil.example/i.png)", "&lt;a href=\"http://x\"&gt;",
        "\\<a href=x>", "客户名 (备注) [已审核]"})
    void escapedTextIsNotALink(String text) {
        assertThat(ConservationCheck.ACTIVE_LINK.matcher(text).find()).isFalse();
    }

    @Test
    void onlyAMarkdownTextRendersLinks() {
        ObjectNode markdown = Json.mapper().createObjectNode().put("msgtype", "markdown");
        markdown.putObject("markdown").put("title", "[点我](http://evil.example)").put("text", "客户 \\[点我\\](http://evil.example)");
        ObjectNode active = markdown.deepCopy();
        ((ObjectNode) active.get("markdown")).put("text", "客户 [点我](http://evil.example)");
        ObjectNode text = Json.mapper().createObjectNode().put("msgtype", "text");
        text.putObject("text").put("content", "[点我](http://evil.example)");

        assertThat(ConservationCheck.hasActiveLink(markdown)).isFalse();
        assertThat(ConservationCheck.hasActiveLink(active)).isTrue();
        assertThat(ConservationCheck.hasActiveLink(text)).isFalse();
    }
}
