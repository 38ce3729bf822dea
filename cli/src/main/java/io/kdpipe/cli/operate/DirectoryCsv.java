package io.kdpipe.cli.operate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The directory CSVs, UTF-8 (a byte-order mark is ignored), an optional header line, fields
 * optionally in double quotes ({@code ""} for a quote): salespeople as {@code number,name,mobile[,userid]},
 * sales departments as {@code number,name,deptid[,manager_userid]}.
 */
final class DirectoryCsv {

    /** One person of the file. */
    record Row(int line, String number, String name, String mobile, String userId) {
    }

    /** One sales department of the file. */
    record DepartmentRow(int line, String number, String name, Long deptId, String managerUserId) {
    }

    /** The rows, and every problem found (with its line number). */
    record Parsed(List<Row> rows, List<String> problems) {
    }

    /** The department rows, and every problem found (with its line number). */
    record ParsedDepartments(List<DepartmentRow> rows, List<String> problems) {
    }

    private DirectoryCsv() {
    }

    static Parsed read(Path file) {
        List<String> problems = new ArrayList<>();
        List<Row> rows = parse(file, DirectoryCsv::isHeader, "number,name,mobile[,userid]", "person", problems,
                (number, f) -> {
                    String mobile = mobile(f);
                    if (!mobile.isEmpty() && !mobile.matches("\\+?\\d{6,20}")) {
                        return "mobile '" + f.get(2) + "' is not a phone number";
                    }
                    return mobile.isEmpty() && userId(f) == null ? number + " has neither a mobile nor a userid" : null;
                },
                (n, number, f) -> new Row(n, number, f.get(1).isBlank() ? null : f.get(1), mobile(f).isEmpty() ? null : mobile(f), userId(f)));
        return new Parsed(rows, problems);
    }

    static ParsedDepartments readDepartments(Path file) {
        List<String> problems = new ArrayList<>();
        List<DepartmentRow> rows = parse(file, DirectoryCsv::isDepartmentHeader, "number,name,deptid[,manager_userid]", "department",
                problems,
                (number, f) -> {
                    if (f.get(2).isBlank() && f.get(1).isBlank()) {
                        return number + " has neither a name nor a DingTalk department id";
                    }
                    return !f.get(2).isBlank() && !f.get(2).matches("\\d{1,18}")
                            ? "DingTalk department id '" + f.get(2) + "' of " + number + " is not a number" : null;
                },
                (n, number, f) -> new DepartmentRow(n, number, f.get(1).isBlank() ? null : f.get(1),
                        f.get(2).isBlank() ? null : Long.valueOf(f.get(2)), f.size() == 4 && !f.get(3).isBlank() ? f.get(3) : null));
        return new ParsedDepartments(rows, problems);
    }

    /** What is wrong with a data line's fields beyond their count and an empty number, or null. */
    @FunctionalInterface
    private interface Check {
        String problem(String number, List<String> fields);
    }

    @FunctionalInterface
    private interface RowOf<R> {
        R row(int line, String number, List<String> fields);
    }

    /**
     * The rows of {@code file}: comments, blank lines and a first header line skipped; each data line
     * has three or four fields, a number that is not empty and not seen before, and passes {@code check}.
     * Every problem is added to {@code problems} with its line number.
     */
    private static <R> List<R> parse(Path file, Predicate<List<String>> isHeader, String shape, String kind, List<String> problems,
                                     Check check, RowOf<R> rowOf) {
        List<String> lines = lines(file);
        List<R> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            int n = i + 1;
            if (rows.isEmpty() && problems.isEmpty() && isHeader.test(f)) {
                continue;
            }
            if (f.size() < 3 || f.size() > 4) {
                problems.add("line " + n + ": expected " + shape + " but found " + f.size() + " field(s)");
                continue;
            }
            String number = f.get(0);
            String problem = number.isBlank() ? kind + " number is empty" : check.problem(number, f);
            if (problem == null && !seen.add(number)) {
                problem = kind + " number " + number + " appears more than once";
            }
            if (problem != null) {
                problems.add("line " + n + ": " + problem);
                continue;
            }
            rows.add(rowOf.row(n, number, f));
        }
        return rows;
    }

    private static String mobile(List<String> f) {
        return f.get(2).replace(" ", "").replace("-", "");
    }

    private static String userId(List<String> f) {
        return f.size() == 4 && !f.get(3).isBlank() ? f.get(3) : null;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OperateException(ExitCodes.USAGE, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isDepartmentHeader(List<String> f) {
        String first = f.isEmpty() ? "" : f.get(0).toLowerCase(Locale.ROOT);
        return first.contains("number") || first.contains("编号") || first.contains("编码")
                || (f.size() > 2 && (f.get(2).toLowerCase(Locale.ROOT).contains("dept") || f.get(2).contains("部门")));
    }

    private static boolean isHeader(List<String> f) {
        String first = f.isEmpty() ? "" : f.get(0).toLowerCase(Locale.ROOT);
        return first.contains("number") || first.contains("工号") || first.contains("编号") || first.contains("编码")
                || (f.size() > 2 && (f.get(2).toLowerCase(Locale.ROOT).contains("mobile") || f.get(2).contains("手机")));
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }
}
