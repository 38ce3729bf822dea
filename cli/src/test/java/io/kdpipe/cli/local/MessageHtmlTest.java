package io.kdpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Json;
import org.junit.jupiter.api.Test;

class MessageHtmlTest {

    @Test
    void shouldRenderMarkdownAsDingTalkShowsIt() throws Exception {
        JsonNode msg = Json.mapper().readTree("""
                {"msgtype":"markdown","markdown":{"title":"客户已审核：A","text":"### 客户已审核\\n\\n**上海华信科技有限公司**\\n\\n- 客户编码：CUST00001\\n- 销售员：XSY001"}}""");
        String html = MessageHtml.body(msg);
        assertThat(html).contains("<h3>客户已审核</h3>")
                .contains("<p><strong>上海华信科技有限公司</strong></p>")
                .contains("<ul>\n<li>客户编码：CUST00001</li>\n<li>销售员：XSY001</li>\n</ul>");
        assertThat(MessageHtml.title(msg)).isEqualTo("客户已审核：A");
    }

    @Test
    void shouldShowMarkupInValuesAsTextNeverAsHtml() throws Exception {
        JsonNode markdown = Json.mapper().readTree("""
                {"msgtype":"markdown","markdown":{"title":"t","text":"地址：\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\*x\\\\* <img src=x onerror=alert(1)>"}}""");
        String html = MessageHtml.body(markdown);
        assertThat(html).doesNotContain("<script").doesNotContain("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("*x*").contains("&lt;img src=x onerror=alert(1)&gt;");

        JsonNode text = Json.mapper().readTree("""
                {"msgtype":"text","text":{"content":"【客户已禁用】<b>A</b>\\n客户编码：C1"}}""");
        assertThat(MessageHtml.body(text)).isEqualTo("<div class=\"text\">【客户已禁用】&lt;b&gt;A&lt;/b&gt;<br>\n客户编码：C1</div>");
        assertThat(MessageHtml.title(text)).isEqualTo("【客户已禁用】<b>A</b>");
    }
}
