package io.kdpipe.extractor.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.extractor.kingdee.KingdeeException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseParserTest {

    private static final String WRAPPED = "[[{\"Result\":{\"ResponseStatus\":{\"ErrorCode\":500,\"IsSuccess\":%s,"
            + "\"Errors\":[{\"FieldName\":null,\"Message\":\"%s\",\"DIndex\":0}],\"MsgCode\":%s}}}]]";

    @Test
    void shouldReadDataRows() {
        List<JsonNode[]> rows = ResponseParser.queryRows("ExecuteBillQuery", 200,
                "[[100001,\"CUST00001\",\" \",null,12.50,true],[100002,\"CUST00002\",\"x\",\"2024-04-11T23:52:02.583\",0,false]]", 6);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[0].asLong()).isEqualTo(100001);
        assertThat(rows.get(0)[4].decimalValue()).isEqualByComparingTo("12.50");
        assertThat(rows.get(1)[3].asText()).isEqualTo("2024-04-11T23:52:02.583");
    }

    @Test
    void shouldReadAnEmptyResult() {
        assertThat(ResponseParser.queryRows("ExecuteBillQuery", 200, "[]", 3)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "false|会话信息已丢失，请重新登录|1|SESSION_LOST",
        "\"false\"|会话信息已丢失，请重新登录|\"1\"|SESSION_LOST",
        "false|调用次数超过限制|14|TRANSIENT",
        "\"false\"|调用次数超过限制|\"14\"|TRANSIENT",
        "false|元数据中标识为FXXX的字段不存在|9|QUERY_REJECTED",
        "\"false\"|业务对象不存在|\"4\"|QUERY_REJECTED"})
    void shouldTellTheDoubleWrappedErrorFromDataWhetherBooleansOrStrings(String isSuccess, String message, String msgCode, Kind kind) {
        KingdeeException e = catchThrowableOfType(KingdeeException.class,
                () -> ResponseParser.queryRows("ExecuteBillQuery", 200, WRAPPED.formatted(isSuccess, message, msgCode), 3));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.msgCode()).isEqualTo(Integer.parseInt(msgCode.replace("\"", "")));
        assertThat(e.getMessage()).contains("ExecuteBillQuery").contains("MsgCode").contains(message);
    }

    @Test
    void shouldReadTheUnwrappedErrorOfBillQuery() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("BillQuery", 200,
                "{\"Result\":{\"ResponseStatus\":{\"IsSuccess\":false,\"Errors\":[{\"Message\":\"没有权限\"}],\"MsgCode\":2}}}", 3));
        assertThat(e.kind()).isEqualTo(Kind.QUERY_REJECTED);
        assertThat(e.getMessage()).contains("MsgCode 2 (no permission): 没有权限");
    }

    @Test
    void shouldReadResponseErrorBodies() {
        String body = "response_error:{\"ClassName\":\"System.Exception\",\"Message\":\"对象名 'X' 无效。\"}";
        KingdeeException permanent = catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("ExecuteBillQuery", 200, body, 3));
        assertThat(permanent.kind()).isEqualTo(Kind.QUERY_REJECTED);
        assertThat(permanent.getMessage()).endsWith("对象名 'X' 无效。");
        KingdeeException transientOne = catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("ExecuteBillQuery", 500, body, 3));
        assertThat(transientOne.kind()).isEqualTo(Kind.TRANSIENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200|<html><body>请登录</body></html>|BAD_RESPONSE",
        "200|[[1,2|BAD_RESPONSE",
        "200|\"just a string\"|BAD_RESPONSE",
        "404|<html>404</html>|BAD_RESPONSE",
        "502|<html>Bad Gateway</html>|TRANSIENT",
        "429|Too Many Requests|TRANSIENT"})
    void shouldClassifyBodiesThatAreNotKingdeeAnswers(int status, String body, Kind kind) {
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("ExecuteBillQuery", status, body, 2));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.retryable()).isEqualTo(kind == Kind.TRANSIENT);
    }

    @Test
    void shouldRefuseRowsOfTheWrongWidth() {
        KingdeeException e = catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("ExecuteBillQuery", 200, "[[1,2]]", 3));
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("2 values for 3 field keys");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200|[[100001,\"CUST00001\",\" \"],[100002,\"客户\",12.50]]|",
        "200|'  [] '|",
        "200|[[{\"Result\":{\"ResponseStatus\":{\"IsSuccess\":false,\"Errors\":[{\"Message\":\"限制\"}],\"MsgCode\":14}}}]]|TRANSIENT",
        "200|[{\"Result\":{\"ResponseStatus\":{\"IsSuccess\":false,\"Errors\":[{\"Message\":\"x\"}],\"MsgCode\":9}}}]|QUERY_REJECTED",
        "200|{\"Result\":{\"ResponseStatus\":{\"IsSuccess\":false,\"Errors\":[],\"MsgCode\":1}}}|SESSION_LOST",
        "200|[[1,2,3],[4,5]]|BAD_RESPONSE",
        "200|[[1,2,3],[4,5,6]|BAD_RESPONSE",
        "200|[[1,[2],3]]|BAD_RESPONSE",
        "200|[1,2]|BAD_RESPONSE",
        "200|<html>请登录</html>|BAD_RESPONSE",
        "200|response_error:{\"Message\":\"x\"}|QUERY_REJECTED",
        "502|[[1,2,3]]|TRANSIENT"})
    void shouldReadAnAnswerAsItArrivesAsItReadsTheWholeText(int status, String body, Kind kind) throws Exception {
        java.util.function.Function<java.io.InputStream, Object> streamed = in -> {
            try {
                return ResponseParser.queryRows("ExecuteBillQuery", status, in, 3);
            } catch (KingdeeException e) {
                return e.kind();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Object fromStream = streamed.apply(new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (kind == null) {
            List<JsonNode[]> whole = ResponseParser.queryRows("ExecuteBillQuery", status, body, 3);
            assertThat(fromStream).asList().hasSize(whole.size());
            for (int i = 0; i < whole.size(); i++) {
                assertThat(((List<?>) fromStream).get(i)).isEqualTo(whole.get(i));
            }
        } else {
            assertThat(fromStream).isEqualTo(kind);
            assertThat(catchThrowableOfType(KingdeeException.class, () -> ResponseParser.queryRows("ExecuteBillQuery", status, body, 3))
                    .kind()).isEqualTo(kind);
        }
    }
}
