package io.kdpipe.cli.operate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The directory CSV: {@code number,name,mobile[,userid]} per line, UTF-8 (a byte-order mark is
 * ignored), an optional header line, fields optionally in double quotes ({@code ""} for a quote).
 */
final class DirectoryCsv {

    /** One person of the file. */
    record Row(int line, String number, String name, String mobile, String userId) {
    }

    /** The rows, and every problem found (with its line number). */
    record Parsed(List<Row> rows, List<String> problems) {
    }

    private DirectoryCsv() {
    }

    static Parsed read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OperateException(ExitCodes.USAGE, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
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
