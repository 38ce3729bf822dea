package io.kdpipe.cli;

import io.kdpipe.cli.local.LocalCommand;
import io.kdpipe.cli.operate.DirectoryCommand;
import io.kdpipe.cli.operate.OperateContext;
import io.kdpipe.cli.operate.OperateFactory;
import io.kdpipe.cli.operate.RedriveCommand;
import io.kdpipe.cli.operate.ReplayCommand;
import io.kdpipe.cli.operate.StatusCommand;
import io.kdpipe.cli.trail.TrailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kdpipe} command. */
@Command(name = "kdpipe", mixinStandardHelpOptions = true, version = "kdpipe 0.1.0",
        description = "Kingdee customer changes to DingTalk work notifications, over Kafka.",
        subcommands = {LocalCommand.class, ReplayCommand.class, RedriveCommand.class, DirectoryCommand.class,
                StatusCommand.class, TrailCommand.class, CommandLine.HelpCommand.class})
public final class Kdpipe {

    public static void main(String[] args) {
        System.exit(commandLine(OperateContext.system()).execute(args));
    }

    /** The command line with its subcommands, reading input and environment from {@code context}. */
    public static CommandLine commandLine(OperateContext context) {
        return new CommandLine(new Kdpipe(), new OperateFactory(context));
    }
}
