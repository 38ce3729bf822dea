package io.kdpipe.sandbox.kingdee;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The subset of Kingdee's SQL-like {@code FilterString} the sandbox understands: comparisons
 * ({@code = <> != > >= < <=}) of a field key with a quoted or numeric literal, {@code IS [NOT] NULL},
 * combined with {@code AND}, {@code OR}, {@code NOT} and parentheses. Literals compare as the
 * field's type: dates as server-local date-times, numbers as decimals, everything else as text.
 */
final class FilterExpression {

    /** A filter the server cannot run, with the reason Kingdee would give. */
    static final class FilterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FilterException(String message) {
            super(message);
        }
    }

    private static final DateTimeFormatter LITERAL_DATE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().optionalStart().appendLiteral(' ').optionalEnd().optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter(Locale.ROOT);

    private FilterExpression() {
    }

    /** Parses {@code filter} (blank means everything) into a predicate over a row's values. */
    static Predicate<Function<String, Object>> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return row -> true;
        }
        Parser p = new Parser(tokenize(filter));
        Predicate<Function<String, Object>> e = p.or();
        if (p.pos < p.tokens.size()) {
            throw new FilterException("过滤条件语法错误：在 '" + p.tokens.get(p.pos).text + "' 附近");
        }
        return e;
    }

    /**
     * The least value of {@code canonicalField} a row can have and still pass {@code filter}, from
     * its top-level {@code AND} conjuncts of the form {@code field > n}, {@code field >= n} or
     * {@code field = n} (n a number); empty when the filter has none, or has a top-level {@code OR}.
     * A row below the bound fails the filter; one at or above it may pass or not.
     */
    static Optional<BigDecimal> lowerBound(String filter, String canonicalField) {
        if (filter == null || filter.isBlank()) {
            return Optional.empty();
        }
        List<Token> tokens = tokenize(filter);
        List<List<Token>> conjuncts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (!t.literal && t.text.equals("(")) {
                depth++;
            } else if (!t.literal && t.text.equals(")")) {
                depth--;
            } else if (depth == 0 && !t.literal && t.text.equalsIgnoreCase("OR")) {
                return Optional.empty();
            } else if (depth == 0 && !t.literal && t.text.equalsIgnoreCase("AND")) {
                conjuncts.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(t);
        }
        conjuncts.add(current);
        BigDecimal bound = null;
        for (List<Token> c : conjuncts) {
            if (c.size() != 3 || c.get(0).literal || c.get(1).literal) {
                continue;
            }
            String op = c.get(1).text;
            String value = c.get(2).text.trim();
            if (!(op.equals(">") || op.equals(">=") || op.equals("=")) || !isNumber(value)
                    || !CustomerFields.canonical(c.get(0).text).filter(canonicalField::equals).isPresent()) {
                continue;
            }
            BigDecimal b = new BigDecimal(value);
            bound = bound == null || b.compareTo(bound) > 0 ? b : bound;
        }
        return Optional.ofNullable(bound);
    }

    private record Token(String text, boolean literal) {
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new FilterException("过滤条件语法错误：字符串缺少结束引号");
                    }
                    char d = s.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(d);
                    i++;
                }
                out.add(new Token(sb.toString(), true));
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(new Token(String.valueOf(c), false));
                i++;
            } else if (c == '<' || c == '>' || c == '=' || c == '!') {
                int j = i + 1;
                if (j < s.length() && (s.charAt(j) == '=' || (c == '<' && s.charAt(j) == '>'))) {
                    j++;
                }
                out.add(new Token(s.substring(i, j), false));
                i = j;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()'<>=!,".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                out.add(new Token(s.substring(i, j), false));
                i = j;
            }
        }
        return out;
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int pos;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Predicate<Function<String, Object>> or() {
            Predicate<Function<String, Object>> left = and();
            while (keyword("OR")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<Function<String, Object>> and() {
            Predicate<Function<String, Object>> left = unary();
            while (keyword("AND")) {
                left = left.and(unary());
            }
            return left;
        }

        Predicate<Function<String, Object>> unary() {
            if (keyword("NOT")) {
                return unary().negate();
            }
            if (symbol("(")) {
                Predicate<Function<String, Object>> inner = or();
                if (!symbol(")")) {
                    throw new FilterException("过滤条件语法错误：缺少右括号");
                }
                return inner;
            }
            return comparison();
        }

        Predicate<Function<String, Object>> comparison() {
            Token fieldToken = next("字段");
            if (fieldToken.literal) {
                throw new FilterException("过滤条件语法错误：'" + fieldToken.text + "' 不是字段");
            }
            String field = CustomerFields.canonical(fieldToken.text)
                    .orElseThrow(() -> new FilterException("过滤条件中的字段 " + fieldToken.text + " 不存在"));
            if (keyword("IS")) {
                boolean not = keyword("NOT");
                if (!keyword("NULL")) {
                    throw new FilterException("过滤条件语法错误：IS 之后应为 NULL");
                }
                return row -> (isNull(row.apply(field))) != not;
            }
            Token op = next("运算符");
            Token literal = next("值");
            if (!literal.literal && !isNumber(literal.text)) {
                throw new FilterException("过滤条件语法错误：'" + literal.text + "' 不是常量");
            }
            String opText = op.text;
            Literal parsed = new Literal(literal.text);
            return row -> {
                Object value = row.apply(field);
                if (isNull(value)) {
                    return false;
                }
                int cmp = parsed.compareWith(value);
                return switch (opText) {
                    case "=" -> cmp == 0;
                    case "<>", "!=" -> cmp != 0;
                    case ">" -> cmp > 0;
                    case ">=" -> cmp >= 0;
                    case "<" -> cmp < 0;
                    case "<=" -> cmp <= 0;
                    default -> throw new FilterException("过滤条件语法错误：不支持的运算符 " + opText);
                };
            };
        }

        private Token next(String what) {
            if (pos >= tokens.size()) {
                throw new FilterException("过滤条件语法错误：缺少" + what);
            }
            return tokens.get(pos++);
        }

        private boolean keyword(String word) {
            if (pos < tokens.size() && !tokens.get(pos).literal && tokens.get(pos).text.equalsIgnoreCase(word)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean symbol(String s) {
            if (pos < tokens.size() && !tokens.get(pos).literal && tokens.get(pos).text.equals(s)) {
                pos++;
                return true;
            }
            return false;
        }
    }

    private static boolean isNull(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A comparison's literal, parsed as a date or a number the first time a row's value needs it
     * (a scan compares thousands of rows with the same literal); a literal that does not fit the
     * field's type fails at that first comparison, as Kingdee's does.
     */
    private static final class Literal {
        private final String text;
        private LocalDateTime date;
        private BigDecimal number;

        Literal(String text) {
            this.text = text;
        }

        int compareWith(Object value) {
            try {
                if (value instanceof LocalDateTime dt) {
                    if (date == null) {
                        date = parseDate(text);
                    }
                    return dt.compareTo(date);
                }
                if (value instanceof Number n) {
                    if (number == null) {
                        number = new BigDecimal(text.trim());
                    }
                    BigDecimal v = n instanceof Long || n instanceof Integer ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.toString());
                    return v.compareTo(number);
                }
                if (value instanceof Boolean b) {
                    boolean l = text.equals("1") || text.equalsIgnoreCase("true");
                    return Boolean.compare(b, l);
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new FilterException("过滤条件中的值 '" + text + "' 与字段类型不符");
            }
            return value.toString().trim().compareTo(text);
        }
    }

    private static LocalDateTime parseDate(String literal) {
        String t = literal.trim();
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay();
        }
        return LocalDateTime.parse(t, LITERAL_DATE);
    }
}
