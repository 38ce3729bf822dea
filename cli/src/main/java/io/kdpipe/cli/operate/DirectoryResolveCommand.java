package io.kdpipe.cli.operate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fills the missing userids of {@code dingtalk.directory.v1} by mobile through DingTalk's
 * {@code getbymobile}, or with {@code --departments} the missing department ids by name through
 * {@code department/listsub}.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look up the DingTalk userid of every person in dingtalk.directory.v1 that has a mobile but no userid "
                + "(topapi/v2/user/getbymobile; contacts calls do not count toward the monthly message quota), "
                + "write the ones found and list the ones DingTalk does not know.",
                "With --departments: look up the DingTalk department id of every department imported without one, by its "
                        + "exact name (topapi/v2/department/listsub from the root, also free); a name found nowhere or more "
                        + "than once is listed and stays unresolved.",
                "Reads DINGTALK_BASE_URL, DINGTALK_APP_KEY and DINGTALK_APP_SECRET like the notifier."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe directory resolve --config /etc/kdpipe/notifier.properties",
                "      resolve with the notifier's DingTalk app",
                "  kdpipe directory resolve --dry-run",
                "      look the userids up and show them; write nothing",
                "  kdpipe directory resolve --all",
                "      look up everyone again, e.g. after people changed phones",
                "  kdpipe directory resolve --departments",
                "      look up the department ids of departments imported without one, by name",
                "",
                "Exit status: 0 every person resolved, 1 failed, 2 bad arguments, 4 Kafka or DingTalk unreachable, "
                        + "5 some mobiles (or department names) not found."})
public final class DirectoryResolveCommand extends OperateCommand {

    private static final long ROOT_DEPARTMENT = 1;
    private static final int MAX_DEPARTMENTS = 50_000;

    @Option(names = "--dry-run", description = "look up and print; write nothing")
    boolean dryRun;

    @Option(names = "--all", description = "look up every person with a mobile, not only those without a userid")
    boolean all;

    @Option(names = "--departments", description = "look up the DingTalk department id of every department without one, "
            + "by its name, walking DingTalk's departments from the root (topapi/v2/department/listsub)")
    boolean departments;

    @Mixin
    DingTalkAppOptions dingTalkApp;

    @Override
    protected int run() {
        DingTalkAppOptions.Settings settings = DingTalkAppOptions.read(connection.reader(context), true);
        Pacer pacer = dingTalkApp.pacer();
        if (departments) {
            return resolveDepartments(settings.kafka(), settings.contacts(connection.timeout()), pacer);
        }
        try (KafkaAccess kafka = KafkaAccess.connect(settings.kafka(), connection.timeout())) {
            List<DirectoryEntry> todo = DirectoryStore.latest(kafka).values().stream()
                    .filter(e -> e.type() == DirectoryEntry.Type.PERSON && e.mobile() != null && (all || !e.resolved()))
                    .toList();
            out().println(todo.size() + " person(s) to look up by mobile.");
            DingTalkContacts contacts = settings.contacts(connection.timeout());
            List<DirectoryEntry> resolved = new ArrayList<>();
            List<DirectoryEntry> notFound = new ArrayList<>();
            for (DirectoryEntry e : todo) {
                pacer.await();
                Optional<String> userId = contacts.userIdByMobile(e.mobile());
                if (userId.isEmpty()) {
                    notFound.add(e);
                } else if (!userId.get().equals(e.userId())) {
                    resolved.add(new DirectoryEntry(DirectoryEntry.VERSION, e.type(), e.number(), e.name(), e.mobile(),
                            userId.get(), e.deptId(), context.clock().instant()));
                }
            }
            resolved.forEach(e -> out().printf("  resolved   %-16s %-12s %-16s -> %s%n", e.number(), nameOf(e), e.mobile(), e.userId()));
            notFound.forEach(e -> out().printf("  NOT FOUND  %-16s %-12s %-16s%n", e.number(), nameOf(e), e.mobile()));
            if (dryRun) {
                out().println("Dry run: " + resolved.size() + " userid(s) found, " + notFound.size() + " not found; nothing was written.");
            } else {
                if (!resolved.isEmpty()) {
                    kafka.ensure(List.of(Topics.DIRECTORY));
                }
                DirectoryStore.write(kafka, resolved);
                out().println("Wrote " + resolved.size() + " userid(s) to " + kafka.name(Topics.DIRECTORY) + "; "
                        + notFound.size() + " mobile(s) not found in DingTalk.");
            }
            return notFound.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }
    }

    /**
     * Department ids by name: the whole DingTalk department tree is read once (breadth first from the
     * root, at most {@link #MAX_DEPARTMENTS}); a name that matches exactly one department resolves,
     * one that matches none or several is reported and stays unresolved.
     */
    private int resolveDepartments(KafkaConfig kafkaConfig, DingTalkContacts dingTalk, Pacer pacer) {
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            List<DirectoryEntry> todo = DirectoryStore.latest(kafka).values().stream()
                    .filter(e -> e.type() == DirectoryEntry.Type.DEPARTMENT && e.name() != null && (all || !e.resolved()))
                    .sorted(Comparator.comparing(DirectoryEntry::number)).toList();
            out().println(todo.size() + " department(s) to look up by name.");
            if (todo.isEmpty()) {
                return ExitCodes.OK;
            }
            Map<String, List<Long>> byName = new HashMap<>();
            Deque<Long> queue = new ArrayDeque<>(List.of(ROOT_DEPARTMENT));
            int seen = 0;
            while (!queue.isEmpty() && seen < MAX_DEPARTMENTS) {
                pacer.await();
                for (DingTalkContacts.Department d : dingTalk.subDepartments(queue.poll())) {
                    byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d.deptId());
                    queue.add(d.deptId());
                    seen++;
                }
            }
            if (!queue.isEmpty()) {
                out().println("Stopped reading DingTalk's departments after " + MAX_DEPARTMENTS + "; names below them are not found.");
            }
            List<DirectoryEntry> resolved = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (DirectoryEntry e : todo) {
                List<Long> ids = byName.getOrDefault(e.name(), List.of());
                if (ids.size() == 1) {
                    if (!ids.get(0).equals(e.deptId())) {
                        resolved.add(new DirectoryEntry(DirectoryEntry.VERSION, e.type(), e.number(), e.name(), null, null,
                                ids.get(0), context.clock().instant(), DirectoryEntry.Status.ACTIVE, context.clock().instant(),
                                e.managerUserId()));
                    }
                } else if (ids.isEmpty()) {
                    problems.add(String.format("  NOT FOUND  %-16s %s", e.number(), e.name()));
                } else {
                    problems.add(String.format("  AMBIGUOUS  %-16s %s: DingTalk departments %s", e.number(), e.name(),
                            ids.stream().map(String::valueOf).collect(Collectors.joining(", "))));
                }
            }
            resolved.forEach(e -> out().printf("  resolved   %-16s %-12s -> %d%n", e.number(), e.name(), e.deptId()));
            problems.forEach(out()::println);
            if (!problems.isEmpty()) {
                out().println("Give these departments their id in the CSV (number,name,deptid) and import it again.");
            }
            if (dryRun) {
                out().println("Dry run: " + resolved.size() + " department id(s) found, " + problems.size()
                        + " not resolved; nothing was written.");
            } else {
                if (!resolved.isEmpty()) {
                    kafka.ensure(List.of(Topics.DIRECTORY));
                }
                DirectoryStore.write(kafka, resolved);
                out().println("Wrote " + resolved.size() + " department id(s) to " + kafka.name(Topics.DIRECTORY) + "; "
                        + problems.size() + " department(s) not resolved.");
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }
    }

    private static String nameOf(DirectoryEntry e) {
        return e.name() == null ? "-" : e.name();
    }
}
