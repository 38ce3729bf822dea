package io.kdpipe.cli.operate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        List<String> lines = lines(file);
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            int n = i + 1;
            if (rows.isEmpty() && problems.isEmpty() && isHeader(f)) {
                continue;
            }
            if (f.size() < 3 || f.size() > 4) {
                problems.add("line " + n + ": expected number,name,mobile[,userid] but found " + f.size() + " field(s)");
                continue;
            }
            String number = f.get(0);
            String name = f.get(1);
            String mobile = f.get(2).replace(" ", "").replace("-", "");
            String userId = f.size() == 4 && !f.get(3).isBlank() ? f.get(3) : null;
            if (number.isBlank()) {
                problems.add("line " + n + ": person number is empty");
                continue;
            }
            if (!mobile.isEmpty() && !mobile.matches("\\+?\\d{6,20}")) {
                problems.add("line " + n + ": mobile '" + f.get(2) + "' is not a phone number");
                continue;
            }
            if (mobile.isEmpty() && userId == null) {
                problems.add("line " + n + ": " + number + " has neither a mobile nor a userid");
                continue;
            }
            if (seen.contains(number)) {
                problems.add("line " + n + ": person number " + number + " appears more than once");
                continue;
            }
            seen.add(number);
            rows.add(new Row(n, number, name.isBlank() ? null : name, mobile.isEmpty() ? null : mobile, userId));
        }
        return new Parsed(rows, problems);
    }

    static ParsedDepartments readDepartments(Path file) {
        List<String> lines = lines(file);
        List<DepartmentRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            int n = i + 1;
            if (rows.isEmpty() && problems.isEmpty() && isDepartmentHeader(f)) {
                continue;
            }
            if (f.size() < 3 || f.size() > 4) {
                problems.add("line " + n + ": expected number,name,deptid[,manager_userid] but found " + f.size() + " field(s)");
                continue;
            }
            String number = f.get(0);
            if (number.isBlank()) {
                problems.add("line " + n + ": department number is empty");
                continue;
            }
            if (f.get(2).isBlank() && f.get(1).isBlank()) {
                problems.add("line " + n + ": " + number + " has neither a name nor a DingTalk department id");
                continue;
            }
            if (!f.get(2).isBlank() && !f.get(2).matches("\\d{1,18}")) {
                problems.add("line " + n + ": DingTalk department id '" + f.get(2) + "' of " + number + " is not a number");
                continue;
            }
            if (seen.contains(number)) {
                problems.add("line " + n + ": department number " + number + " appears more than once");
                continue;
            }
            seen.add(number);
            String manager = f.size() == 4 && !f.get(3).isBlank() ? f.get(3) : null;
            rows.add(new DepartmentRow(n, number, f.get(1).isBlank() ? null : f.get(1), f.get(2).isBlank() ? null : Long.valueOf(f.get(2)), manager));
        }
        return new ParsedDepartments(rows, problems);
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
