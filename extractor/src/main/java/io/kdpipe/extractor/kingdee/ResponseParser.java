package io.kdpipe.extractor.kingdee;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;

import io.kdpipe.extractor.kingdee.KingdeeException.Kind;

/**
 * Reads WebAPI answers. Errors arrive in HTTP 200 bodies, so every body is classified by shape:
 * data rows ({@code [[v, v, ...], ...]}), Kingdee's error object (wrapped in two arrays, once, or not
 * at all; its {@code IsSuccess} and {@code MsgCode} as booleans/numbers or as strings),
 * {@code response_error:} bodies, and anything else (HTML, truncated JSON).
 */
final class ResponseParser {

    static final String RESPONSE_ERROR = "response_error:";

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** What {@code MsgCode} values mean, for messages a person can act on. */
    private static final Map<Integer, String> MSG_CODES = Map.ofEntries(
            Map.entry(0, "error"), Map.entry(1, "session lost"), Map.entry(2, "no permission"),
            Map.entry(3, "empty operation id"), Map.entry(4, "server exception (unknown form or bad filter)"),
            Map.entry(5, "empty form id"), Map.entry(6, "database failure"), Map.entry(7, "licence"),
            Map.entry(8, "bad parameter"), Map.entry(9, "field or value does not exist"), Map.entry(10, "no data"),
            Map.entry(11, "validation failed"), Map.entry(12, "not allowed"), Map.entry(13, "network-control conflict"),
            Map.entry(14, "call limit reached (throttled)"), Map.entry(15, "admin login forbidden"));

    private ResponseParser() {
    }

    /**
     * As {@link #queryRows(String, int, String, int)}, from the body's bytes: an answer of rows laid out as
     * expected is read row by row as its rows are asked for ({@link QueryRows}), never held as text or as
     * one tree (a page of 2,000 rows of 60 fields is megabytes); another answer of rows is read one row
     * at a time, so whatever is wrong with it is reported here; any other answer is read as text.
     */
    static List<JsonNode[]> queryRows(String service, int status, InputStream body, int width) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (status == 200) {
            QueryRows rows = QueryRows.of(service, status, bytes, width);
            if (rows != null) {
                return rows;
            }
        }
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(bytes), 16 * 1024);
        if (status == 200 && startsWithArray(in)) {
            try (JsonParser p = MAPPER.createParser(in)) {
                p.nextToken();
                List<JsonNode[]> rows = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) {
                        throw new JsonParseException(p, "the answer ends inside its list of rows");
                    }
                    rows.add(t == JsonToken.START_ARRAY ? streamedRow(service, status, p, width) : row(service, status, MAPPER.readTree(p), width));
                }
                return rows;
            } catch (JsonProcessingException e) {
                throw notJson(service, status, snippet(e.getOriginalMessage()));
            }
        }
        return queryRows(service, status, new String(in.readAllBytes(), StandardCharsets.UTF_8), width);
    }

    /** Whether the body's first character after white space is {@code [}; reads nothing off the stream. */
    private static boolean startsWithArray(BufferedInputStream in) throws IOException {
        in.mark(PEEK);
        try {
            for (int i = 0; i < PEEK; i++) {
                int c = in.read();
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return c == '[';
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }

    private static final int PEEK = 64;

    /** The rows of an {@code ExecuteBillQuery} answer, each of {@code width} values. */
    static List<JsonNode[]> queryRows(String service, int status, String body, int width) {
        JsonNode tree = json(service, status, body);
        if (tree.isObject()) {
            throw kingdeeError(service, status, tree);
        }
        if (!tree.isArray()) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered neither rows nor an error: " + snippet(body));
        }
        List<JsonNode[]> rows = new ArrayList<>(tree.size());
        for (JsonNode row : tree) {
            rows.add(row(service, status, row, width));
        }
        return rows;
    }

    /**
     * One answer row read token by token into its values, without a tree of the row: what
     * {@link #row(String, int, JsonNode, int)} returns for the same row. A container among the values
     * (Kingdee's error object, or a nested value) is read as a tree and classified as that method does.
     */
    static JsonNode[] streamedRow(String service, int status, JsonParser p, int width) throws IOException {
        JsonNode[] values = new JsonNode[width];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new JsonParseException(p, "the answer ends inside a row");
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                JsonNode nested = MAPPER.readTree(p);
                if (n == 0 && nested.isObject() && nested.has("Result")) {
                    throw kingdeeError(service, status, nested);
                }
                throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                        "Kingdee " + service + " answered a nested value where a field value belongs: " + snippet(nested.toString()));
            }
            JsonNode v = scalar(p, t);
            if (n < width) {
                values[n] = v;
            }
            n++;
        }
        if (n != width) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered a row of " + n + " values for " + width + " field keys");
        }
        return values;
    }

    /** The node the mapper's tree reader makes of a scalar token (floats as decimals, as the mapper is configured). */
    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            default -> MAPPER.readTree(p);
        };
    }

    private static final JsonNodeFactory NODES = MAPPER.getDeserializationConfig().getNodeFactory();

    /** One answer row's values, or the error it carries. */
    private static JsonNode[] row(String service, int status, JsonNode row, int width) {
        if (row.isObject()) {
            throw kingdeeError(service, status, row);
        }
        if (!row.isArray()) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered a row that is not an array: " + snippet(row.toString()));
        }
        if (row.size() > 0 && row.get(0).isObject() && row.get(0).has("Result")) {
            throw kingdeeError(service, status, row.get(0));
        }
        if (row.size() != width) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered a row of " + row.size() + " values for " + width + " field keys");
        }
        JsonNode[] values = new JsonNode[width];
        for (int i = 0; i < width; i++) {
            JsonNode v = row.get(i);
            if (v.isContainerNode()) {
                throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                        "Kingdee " + service + " answered a nested value where a field value belongs: " + snippet(row.toString()));
            }
            values[i] = v;
        }
        return values;
    }

    /** A login answer: the JSON object, after HTTP and {@code response_error:} checks. */
    static JsonNode loginResult(String service, int status, String body) {
        if (status != 200 && body != null && body.toLowerCase(Locale.ROOT).contains("passport")) {
            throw new KingdeeException(Kind.LOGIN_REFUSED, service, null, status,
                    "Kingdee " + service + " refused the login: the account id (acctID, the data-centre id) is not known to this site: "
                            + snippet(body));
        }
        JsonNode tree = json(service, status, body);
        if (!tree.isObject()) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered something other than a login result: " + snippet(body));
        }
        return tree;
    }

    private static JsonNode json(String service, int status, String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith(RESPONSE_ERROR)) {
            String detail = exceptionMessage(text.substring(RESPONSE_ERROR.length()));
            Kind kind = status == 429 || status >= 500 ? Kind.TRANSIENT : Kind.QUERY_REJECTED;
            throw new KingdeeException(kind, service, null, status,
                    "Kingdee " + service + " failed with a server exception (HTTP " + status + "): " + detail);
        }
        if (status == 429 || status >= 500) {
            throw new KingdeeException(Kind.TRANSIENT, service, null, status,
                    "Kingdee " + service + " answered HTTP " + status + ": " + snippet(text));
        }
        if (status == 404) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered HTTP 404 (no such service at this address): check KINGDEE_URL, the site root "
                            + "that ends with the site's path, e.g. https://erp.example.com/k3cloud/: " + snippet(text));
        }
        if (status != 200) {
            throw new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered HTTP " + status + ": " + snippet(text));
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw notJson(service, status, snippet(text));
        }
    }

    /** An answer that is not JSON; {@code shown}: a snippet of it, or of what the parser said of it. */
    static KingdeeException notJson(String service, int status, String shown) {
        return new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                "Kingdee " + service + " answered a body that is not JSON (is the URL the site's WebAPI root?): " + shown);
    }

    /** Unwraps {@code [[{"Result":{"ResponseStatus":...}}]]}, {@code [{...}]} or {@code {...}}. */
    private static KingdeeException kingdeeError(String service, int status, JsonNode node) {
        JsonNode rs = node.path("Result").path("ResponseStatus");
        if (rs.isMissingNode()) {
            rs = node.path("ResponseStatus");
        }
        if (!rs.isObject()) {
            return new KingdeeException(Kind.BAD_RESPONSE, service, null, status,
                    "Kingdee " + service + " answered an object that is not a Kingdee error: " + snippet(node.toString()));
        }
        Integer msgCode = integer(rs.get("MsgCode"));
        List<String> messages = new ArrayList<>();
        for (JsonNode e : rs.path("Errors")) {
            String m = e.path("Message").asText("");
            String field = e.path("FieldName").isNull() ? "" : e.path("FieldName").asText("");
            if (!m.isBlank()) {
                messages.add(field.isBlank() ? m : field + ": " + m);
            }
        }
        String text = messages.isEmpty() ? "(no message)" : String.join("; ", messages);
        int code = msgCode == null ? 0 : msgCode;
        Kind kind = switch (code) {
            case 1 -> Kind.SESSION_LOST;
            case 14 -> Kind.TRANSIENT;
            default -> Kind.QUERY_REJECTED;
        };
        String hint = code == 9 ? " (check KINGDEE_FIELD_KEYS and KINGDEE_FILTER: reference fields are written with a dot, "
                + "FSELLER.FNumber, not FSELLER_FNumber)" : "";
        return new KingdeeException(kind, service, code, status,
                "Kingdee " + service + " returned MsgCode " + code + " (" + MSG_CODES.getOrDefault(code, "unknown") + "): " + text + hint);
    }

    /** Reads numbers and numeric strings alike, as help pages and real servers differ. */
    static Integer integer(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isNumber()) {
            return v.intValue();
        }
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads booleans and {@code "true"}/{@code "false"} strings alike. */
    static boolean bool(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        return v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(v.asText().trim());
    }

    private static String exceptionMessage(String serialized) {
        try {
            JsonNode ex = MAPPER.readTree(serialized);
            String m = ex.path("Message").asText("");
            if (!m.isBlank()) {
                return m;
            }
        } catch (JsonProcessingException e) {
            // not JSON: show the text itself
        }
        return snippet(serialized);
    }

    /** The start of a body, on one line, for messages. */
    static String snippet(String body) {
        if (body == null) {
            return "(empty)";
        }
        String one = body.replaceAll("\\s+", " ").strip();
        if (one.isEmpty()) {
            return "(empty body)";
        }
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
