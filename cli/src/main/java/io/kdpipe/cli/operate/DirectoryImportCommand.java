package io.kdpipe.cli.operate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Loads salespeople, or with {@code --departments} sales departments, from a CSV into
 * {@code dingtalk.directory.v1}. A person row without a userid keeps the userid already resolved for
 * the same person and mobile. What DingTalk's contacts said of an id (departed, unknown) is kept while
 * the id stays the same; a new id starts unchecked.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load salespeople (or, with --departments, sales departments) from FILE.csv into dingtalk.directory.v1.",
                "Salespeople: person number (Kingdee FSELLER.FNumber), name, mobile, optional DingTalk userid. "
                        + "Rows without a userid are filled by 'kdpipe directory resolve'.",
                "Departments: department number (Kingdee FSALDEPTID.FNumber), name, DingTalk department id, optional "
                        + "DingTalk userid of its manager (a routing target and fallback: KDPIPE_ROUTE_*).",
                "A header line is recognised and skipped."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe directory import salespeople.csv --dry-run",
                "      check the file and show what would be written",
                "  kdpipe directory import salespeople.csv && kdpipe directory resolve",
                "      load the file, then look the missing userids up by mobile",
                "",
                "  kdpipe directory import --departments departments.csv",
                "      load the sales departments with their DingTalk department ids and managers",
                "",
                "  salespeople.csv:",
                "    number,name,mobile,userid",
                "    XSY001,张三,13800000001,",
                "    XSY002,李四,13800000002,manager4711",
                "",
                "  departments.csv:",
                "    number,name,deptid,manager_userid",
                "    BM0301,华东销售部,4021,manager4711",
                "    BM0302,华南销售部,4022,",
                "",
                "Exit status: 0 done, 1 failed, 2 bad arguments or file (nothing written), 4 Kafka unreachable."})
public final class DirectoryImportCommand extends OperateCommand {

    @Parameters(paramLabel = "FILE.csv", description = "the CSV to load")
    Path file;

    @Option(names = "--departments", description = "FILE.csv lists sales departments: number,name,deptid[,manager_userid]")
    boolean departments;

    @Option(names = "--dry-run", description = "check the file and print what would be written; change nothing")
    boolean dryRun;

    @Override
    protected int run() {
        ConfigReader reader = connection.reader(context);
        KafkaConfig kafkaConfig = KafkaConfig.read(reader);
        reader.validate();
        if (departments) {
            return importDepartments(kafkaConfig);
        }
        DirectoryCsv.Parsed parsed = DirectoryCsv.read(file);
        if (!parsed.problems().isEmpty()) {
            err().println("kdpipe directory import: " + file + " has " + parsed.problems().size() + " problem(s); nothing was written");
            parsed.problems().forEach(p -> err().println("  " + p));
            return ExitCodes.USAGE;
        }
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            Map<String, DirectoryEntry> current = DirectoryStore.latest(kafka);
            List<DirectoryEntry> entries = new ArrayList<>();
            int kept = 0;
            for (DirectoryCsv.Row row : parsed.rows()) {
                String userId = row.userId();
                DirectoryEntry before = current.get(DirectoryEntry.key(DirectoryEntry.Type.PERSON, row.number()));
                if (userId == null && before != null && before.resolved() && row.mobile() != null
                        && row.mobile().equals(before.mobile())) {
                    userId = before.userId();
                    kept++;
                }
                boolean sameId = before != null && userId != null && userId.equals(before.userId());
                entries.add(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, row.number(), row.name(),
                        row.mobile(), userId, null, context.clock().instant(),
                        sameId ? before.status() : DirectoryEntry.Status.UNCHECKED, sameId ? before.checkedAt() : null, null));
            }
            out().printf("  %-16s %-12s %-16s %-20s %s%n", "NUMBER", "NAME", "MOBILE", "USERID", "STATUS");
            entries.forEach(e -> out().printf("  %-16s %-12s %-16s %-20s %s%n", e.number(), e.name() == null ? "-" : e.name(),
                    e.mobile() == null ? "-" : e.mobile(), e.userId() == null ? "(to resolve)" : e.userId(), e.status()));
            long unresolved = entries.stream().filter(e -> !e.resolved()).count();
            if (dryRun) {
                out().println("Dry run: " + entries.size() + " entries would be written; nothing was written.");
                return ExitCodes.OK;
            }
            kafka.ensure(List.of(Topics.DIRECTORY));
            DirectoryStore.write(kafka, entries);
            out().println("Wrote " + entries.size() + " entries to " + kafka.name(Topics.DIRECTORY)
                    + (kept > 0 ? " (" + kept + " kept their resolved userid)" : "")
                    + (unresolved > 0 ? "; " + unresolved + " without a userid: run 'kdpipe directory resolve'" : "") + ".");
            return ExitCodes.OK;
        }
    }

    private int importDepartments(KafkaConfig kafkaConfig) {
        DirectoryCsv.ParsedDepartments parsed = DirectoryCsv.readDepartments(file);
        if (!parsed.problems().isEmpty()) {
            err().println("kdpipe directory import: " + file + " has " + parsed.problems().size() + " problem(s); nothing was written");
            parsed.problems().forEach(p -> err().println("  " + p));
            return ExitCodes.USAGE;
        }
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            Map<String, DirectoryEntry> current = DirectoryStore.latest(kafka);
            List<DirectoryEntry> entries = new ArrayList<>();
            for (DirectoryCsv.DepartmentRow row : parsed.rows()) {
                DirectoryEntry before = current.get(DirectoryEntry.key(DirectoryEntry.Type.DEPARTMENT, row.number()));
                boolean sameId = before != null && Long.valueOf(row.deptId()).equals(before.deptId());
                entries.add(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, row.number(), row.name(),
                        null, null, row.deptId(), context.clock().instant(),
                        sameId ? before.status() : DirectoryEntry.Status.UNCHECKED, sameId ? before.checkedAt() : null,
                        row.managerUserId()));
            }
            out().printf("  %-16s %-12s %-12s %s%n", "DEPARTMENT", "NAME", "DEPTID", "MANAGER");
            entries.forEach(e -> out().printf("  %-16s %-12s %-12d %s%n", e.number(), e.name() == null ? "-" : e.name(),
                    e.deptId(), e.managerUserId() == null ? "-" : e.managerUserId()));
            if (dryRun) {
                out().println("Dry run: " + entries.size() + " departments would be written; nothing was written.");
                return ExitCodes.OK;
            }
            kafka.ensure(List.of(Topics.DIRECTORY));
            DirectoryStore.write(kafka, entries);
            long managers = entries.stream().filter(e -> e.managerUserId() != null).count();
            out().println("Wrote " + entries.size() + " departments to " + kafka.name(Topics.DIRECTORY) + " (" + managers
                    + " with a manager).");
            return ExitCodes.OK;
        }
    }
}
