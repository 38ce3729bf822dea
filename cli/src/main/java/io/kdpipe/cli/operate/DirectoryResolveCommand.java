package io.kdpipe.cli.operate;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.config.Secret;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Fills the missing userids of {@code dingtalk.directory.v1} by mobile through DingTalk's {@code getbymobile}. */
@Command(name = "resolve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look up the DingTalk userid of every person in dingtalk.directory.v1 that has a mobile but no userid "
                + "(topapi/v2/user/getbymobile; contacts calls do not count toward the monthly message quota), "
                + "write the ones found and list the ones DingTalk does not know.",
                "Reads DINGTALK_BASE_URL, DINGTALK_APP_KEY and DINGTALK_APP_SECRET like the notifier."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe directory resolve --config /etc/kdpipe/notifier.properties",
                "      resolve with the notifier's DingTalk app",
                "  kdpipe directory resolve --dry-run",
                "      look the userids up and show them; write nothing",
                "  kdpipe directory resolve --all",
                "      look up everyone again, e.g. after people changed phones",
                "",
                "Exit status: 0 every person resolved, 1 failed, 2 bad arguments, 4 Kafka or DingTalk unreachable, "
                        + "5 some mobiles not found."})
public final class DirectoryResolveCommand extends OperateCommand {

    @Option(names = "--dry-run", description = "look up and print; write nothing")
    boolean dryRun;

    @Option(names = "--all", description = "look up every person with a mobile, not only those without a userid")
    boolean all;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10", description = "lookups per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Override
    protected int run() {
        ConfigReader reader = connection.reader(context);
        KafkaConfig kafkaConfig = KafkaConfig.read(reader);
        URI base = reader.uri("DINGTALK_BASE_URL", "https://oapi.dingtalk.com", "DingTalk oapi base URL");
        String appKey = reader.required("DINGTALK_APP_KEY", "the DingTalk app's AppKey");
        Secret secret = reader.secret("DINGTALK_APP_SECRET", "the DingTalk app's AppSecret");
        reader.validate();
        Pacer pacer = new Pacer(rate);
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            List<DirectoryEntry> todo = DirectoryStore.latest(kafka).values().stream()
                    .filter(e -> e.type() == DirectoryEntry.Type.PERSON && e.mobile() != null && (all || !e.resolved()))
                    .toList();
            out().println(todo.size() + " person(s) to look up by mobile.");
            DingTalkContacts dingTalk = new DingTalkContacts(base, appKey, secret,
                    HttpClient.newBuilder().connectTimeout(connection.timeout()).build(), connection.timeout());
            List<DirectoryEntry> resolved = new ArrayList<>();
            List<DirectoryEntry> notFound = new ArrayList<>();
            for (DirectoryEntry e : todo) {
                pacer.await();
                Optional<String> userId = dingTalk.userIdByMobile(e.mobile());
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

    private static String nameOf(DirectoryEntry e) {
        return e.name() == null ? "-" : e.name();
    }
}
