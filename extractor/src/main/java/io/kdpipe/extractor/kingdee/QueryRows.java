package io.kdpipe.extractor.kingdee;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.kdpipe.extractor.kingdee.KingdeeException.Kind;

/**
 * The rows of an {@code ExecuteBillQuery} answer, each read into its values only when it is first asked
 * for. Keyset paging needs only a page's last rows to ask for the next page, so the next query can go
 * out while the page's other rows are still unread.
 *
 * <p>{@link #of} first checks the answer's layout in one pass over its bytes, without reading a value: an
 * array of rows, each an array of exactly {@code width} values, none of them an array or an object, with
 * its strings closed and no raw control character in them. Any answer that is not so is left to
 * {@link ResponseParser}, which reads it whole and reports what is wrong with it (Kingdee's error
 * object, a row of the wrong width, a nested value, ...) as before. What this pass does not check, a
 * malformed literal such as {@code tru}, is reported when its row is read, as the same
 * {@link Kind#BAD_RESPONSE}. Once every row has been read, the answer's bytes are let go.
 */
final class QueryRows extends AbstractList<JsonNode[]> implements RandomAccess {

    private final String service;
    private final int status;
    private final int width;
    private final int[] starts;
    private final int[] ends;
    private final JsonNode[][] rows;
    private byte[] body;
    private int unread;

    private QueryRows(String service, int status, int width, byte[] body, int[] starts, int[] ends) {
        this.service = service;
        this.status = status;
        this.width = width;
        this.body = body;
        this.starts = starts;
        this.ends = ends;
        this.rows = new JsonNode[starts.length][];
        this.unread = starts.length;
    }

    /** The rows of {@code body}, or null when its layout is not that of rows of {@code width} plain values. */
    static QueryRows of(String service, int status, byte[] body, int width) {
        int n = body.length;
        int i = skipSpace(body, 0);
        if (i >= n || body[i] != '[') {
            return null;
        }
        int[] starts = new int[16];
        int[] ends = new int[16];
        int count = 0;
        i = skipSpace(body, i + 1);
        if (i < n && body[i] == ']') {
            i++;
        } else {
            while (true) {
                if (i >= n || body[i] != '[') {
                    return null;
                }
                int end = rowEnd(body, i, width);
                if (end < 0) {
                    return null;
                }
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                    ends = Arrays.copyOf(ends, count * 2);
                }
                starts[count] = i;
                ends[count] = end;
                count++;
                i = skipSpace(body, end);
                if (i < n && body[i] == ',') {
                    i = skipSpace(body, i + 1);
                } else if (i < n && body[i] == ']') {
                    i++;
                    break;
                } else {
                    return null;
                }
            }
        }
        if (skipSpace(body, i) != n) {
            return null;
        }
        return new QueryRows(service, status, width, body, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }

    /** Where the row starting at {@code i} (its {@code [}) ends, after its {@code ]}; -1 when it is not {@code width} plain values. */
    private static int rowEnd(byte[] b, int i, int width) {
        int n = b.length;
        int values = 0;
        i = skipSpace(b, i + 1);
        if (i < n && b[i] == ']') {
            return width == 0 ? i + 1 : -1;
        }
        while (i < n) {
            byte c = b[i];
            if (c == '"') {
                i = stringEnd(b, i);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
                while (i < n && b[i] != ',' && b[i] != ']' && !space(b[i])) {
                    i++;
                }
            } else {
                return -1; // a nested value, or no value at all
            }
            values++;
            i = skipSpace(b, i);
            if (i < n && b[i] == ',') {
                i = skipSpace(b, i + 1);
            } else if (i < n && b[i] == ']') {
                return values == width ? i + 1 : -1;
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** After the string starting at {@code i} (its opening quote); -1 when it is not closed or holds a raw control character. */
    private static int stringEnd(byte[] b, int i) {
        int n = b.length;
        for (int j = i + 1; j < n; j++) {
            byte c = b[j];
            if (c == '"') {
                return j + 1;
            } else if (c == '\\') {
                j++;
            } else if (c >= 0 && c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] b, int i) {
        while (i < b.length && space(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean space(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    @Override
    public int size() {
        return starts.length;
    }

    /** Row {@code index}'s values, read now if they were not yet; throws {@link KingdeeException} for a row that cannot be read. */
    @Override
    public JsonNode[] get(int index) {
        JsonNode[] row = rows[index];
        if (row == null) {
            row = read(index);
            rows[index] = row;
            if (--unread == 0) {
                body = null;
            }
        }
        return row;
    }

    private JsonNode[] read(int index) {
        try (JsonParser p = ResponseParser.MAPPER.createParser(body, starts[index], ends[index] - starts[index])) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_ARRAY) {
                throw new IllegalStateException("row " + index + " does not start with '['"); // checked by of()
            }
            return ResponseParser.streamedRow(service, status, p, width);
        } catch (JsonProcessingException e) {
            throw ResponseParser.notJson(service, status, ResponseParser.snippet(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a parser over bytes in memory
        }
    }
}
