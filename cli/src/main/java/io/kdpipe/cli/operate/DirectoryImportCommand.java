package io.kdpipe.cli.operate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Loads salespeople, or with {@code --departments} sales departments, from a CSV into
 * {@code dingtalk.directory.v1}. A person row without a userid keeps the userid already resolved for
 * the same person and mobile. What DingTalk's contacts said of an id (departed, unknown) is kept while
 * the id stays the same; a new id starts unchecked. With DingTalk credentials, every userid is
 * checked with the free contacts API on import and written as active, departed or unknown.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load salespeople (or, with --departments, sales departments) from FILE.csv into dingtalk.directory.v1.",
                "Salespeople: person number (Kingdee FSELLER.FNumber), name, mobile, optional DingTalk userid. "
                        + "Rows without a userid are filled by 'kdpipe directory resolve'.",
                "Departments: department number (Kingdee FSALDEPTID.FNumber), name, DingTalk department id, optional "
                        + "DingTalk userid of its manager (a routing target and fallback: KDPIPE_ROUTE_*).",
                "With DINGTALK_APP_KEY and DINGTALK_APP_SECRET set (as for 'kdpipe directory resolve'), every imported "
                        + "userid is checked with DingTalk's contacts API (topapi/v2/user/get, not counted toward the monthly "
                        + "quota) and written as ACTIVE, DEPARTED or UNKNOWN; --no-check skips that.",
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
                "    BM0303,华北销售部,,",
                "",
                "  kdpipe directory import salespeople.csv --config /etc/kdpipe/notifier.properties",
                "      load the file and check every userid with the notifier's DingTalk app",
                "",
                "Exit status: 0 done, 1 failed, 2 bad arguments or file (nothing written), 4 Kafka or DingTalk unreachable, "
                        + "5 written, but some userids are departed or unknown."})
public final class DirectoryImportCommand extends OperateCommand {

    @Parameters(paramLabel = "FILE.csv", description = "the CSV to load")
    Path file;

    @Option(names = "--departments", description = "FILE.csv lists sales departments: number,name,deptid[,manager_userid]; "
            + "an empty deptid is looked up by name with 'kdpipe directory resolve --departments'")
    boolean departments;

    @Option(names = "--dry-run", description = "check the file and print what would be written; change nothing")
    boolean dryRun;

    @Option(names = "--no-check", description = "do not check the userids with DingTalk's contacts API, even when "
            + "DINGTALK_APP_KEY and DINGTALK_APP_SECRET are set (the notifier checks them before the first send)")
    boolean noCheck;

    @Mixin
    DingTalkAppOptions dingTalkApp;

    @Override
    protected int run() {
        DingTalkAppOptions.Settings settings = DingTalkAppOptions.read(connection.reader(context), false);
        if (departments) {
            return importDepartments(settings.kafka());
        }
        DingTalkContacts contacts = noCheck || !settings.configured() ? null : settings.contacts(connection.timeout());
        DirectoryCsv.Parsed parsed = DirectoryCsv.read(file);
        if (refused(parsed.problems())) {
            return ExitCodes.USAGE;
        }
        try (KafkaAccess kafka = KafkaAccess.connect(settings.kafka(), connection.timeout())) {
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
            if (contacts != null) {
                entries = check(entries, current, contacts);
            }
            out().printf("  %-16s %-12s %-16s %-20s %s%n", "NUMBER", "NAME", "MOBILE", "USERID", "STATUS");
            entries.forEach(e -> out().printf("  %-16s %-12s %-16s %-20s %s%n", e.number(), e.name() == null ? "-" : e.name(),
                    e.mobile() == null ? "-" : e.mobile(), e.userId() == null ? "(to resolve)" : e.userId(), e.status()));
            long unresolved = entries.stream().filter(e -> !e.resolved()).count();
            List<DirectoryEntry> refused = entries.stream().filter(e -> e.resolved() && !e.deliverable()).toList();
            if (contacts != null) {
                long checked = entries.stream().filter(DirectoryEntry::resolved).count();
                out().println("Checked " + checked + " userid(s) with DingTalk's contacts API (not counted toward the monthly "
                        + "quota): " + (checked - refused.size()) + " active, "
                        + refused.stream().filter(e -> e.status() == DirectoryEntry.Status.DEPARTED).count() + " departed, "
                        + refused.stream().filter(e -> e.status() == DirectoryEntry.Status.UNKNOWN).count() + " unknown.");
                refused.forEach(e -> out().printf("  %-9s %-16s %-12s %s%n", e.status(), e.number(),
                        e.name() == null ? "-" : e.name(), e.userId()));
                if (!refused.isEmpty()) {
                    out().println("Notices to these userids are not sent until their rows are fixed and imported again.");
                }
            } else {
                out().println("Userids not checked" + (noCheck ? " (--no-check)" : " (no DINGTALK_APP_KEY and DINGTALK_APP_SECRET)")
                        + ": the notifier checks each one before its first send.");
            }
            if (dryRun) {
                out().println("Dry run: " + entries.size() + " entries would be written; nothing was written.");
                return refused.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            }
            kafka.ensure(List.of(Topics.DIRECTORY));
            DirectoryStore.write(kafka, entries);
            out().println("Wrote " + entries.size() + " entries to " + kafka.name(Topics.DIRECTORY)
                    + (kept > 0 ? " (" + kept + " kept their resolved userid)" : "")
                    + (unresolved > 0 ? "; " + unresolved + " without a userid: run 'kdpipe directory resolve'" : "") + ".");
            return refused.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }
    }

    /**
     * Each entry with a userid as DingTalk's contacts API ({@code user/get}) finds it now: ACTIVE, or,
     * when not found, DEPARTED if the directory last knew the same userid as a member and UNKNOWN
     * otherwise (DingTalk answers both with {@code 60121}).
     */
    private List<DirectoryEntry> check(List<DirectoryEntry> entries, Map<String, DirectoryEntry> current, DingTalkContacts contacts) {
        Pacer pacer = dingTalkApp.pacer();
        List<DirectoryEntry> out = new ArrayList<>();
        for (DirectoryEntry e : entries) {
            if (!e.resolved()) {
                out.add(e);
                continue;
            }
            pacer.await();
            DirectoryEntry.Status status;
            if (contacts.isMember(e.userId())) {
                status = DirectoryEntry.Status.ACTIVE;
            } else {
                DirectoryEntry before = current.get(e.key());
                boolean knownMember = before != null && e.userId().equals(before.userId())
                        && (before.status() == DirectoryEntry.Status.ACTIVE || before.status() == DirectoryEntry.Status.DEPARTED);
                status = knownMember ? DirectoryEntry.Status.DEPARTED : DirectoryEntry.Status.UNKNOWN;
            }
            out.add(e.checked(status, context.clock().instant()));
        }
        return out;
    }

    /** Prints every problem of the file, if it has any: then nothing is written. */
    private boolean refused(List<String> problems) {
        if (problems.isEmpty()) {
            return false;
        }
        err().println("kdpipe directory import: " + file + " has " + problems.size() + " problem(s); nothing was written");
        problems.forEach(p -> err().println("  " + p));
        return true;
    }

    private int importDepartments(KafkaConfig kafkaConfig) {
        DirectoryCsv.ParsedDepartments parsed = DirectoryCsv.readDepartments(file);
        if (refused(parsed.problems())) {
            return ExitCodes.USAGE;
        }
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            Map<String, DirectoryEntry> current = DirectoryStore.latest(kafka);
            List<DirectoryEntry> entries = new ArrayList<>();
            for (DirectoryCsv.DepartmentRow row : parsed.rows()) {
                DirectoryEntry before = current.get(DirectoryEntry.key(DirectoryEntry.Type.DEPARTMENT, row.number()));
                Long deptId = row.deptId();
                if (deptId == null && before != null && before.resolved() && row.name() != null && row.name().equals(before.name())) {
                    deptId = before.deptId(); // resolved by name before: kept while the name stays the same
                }
                boolean sameId = before != null && deptId != null && deptId.equals(before.deptId());
                entries.add(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, row.number(), row.name(),
                        null, null, deptId, context.clock().instant(),
                        sameId ? before.status() : DirectoryEntry.Status.UNCHECKED, sameId ? before.checkedAt() : null,
                        row.managerUserId()));
            }
            out().printf("  %-16s %-12s %-12s %s%n", "DEPARTMENT", "NAME", "DEPTID", "MANAGER");
            entries.forEach(e -> out().printf("  %-16s %-12s %-12s %s%n", e.number(), e.name() == null ? "-" : e.name(),
                    e.deptId() == null ? "(to resolve)" : e.deptId(), e.managerUserId() == null ? "-" : e.managerUserId()));
            long unresolved = entries.stream().filter(e -> !e.resolved()).count();
            if (dryRun) {
                out().println("Dry run: " + entries.size() + " departments would be written; nothing was written.");
                return ExitCodes.OK;
            }
            kafka.ensure(List.of(Topics.DIRECTORY));
            DirectoryStore.write(kafka, entries);
            long managers = entries.stream().filter(e -> e.managerUserId() != null).count();
            out().println("Wrote " + entries.size() + " departments to " + kafka.name(Topics.DIRECTORY) + " (" + managers
                    + " with a manager)" + (unresolved > 0 ? "; " + unresolved
                    + " without a DingTalk department id: run 'kdpipe directory resolve --departments'" : "") + ".");
            return ExitCodes.OK;
        }
    }
}
