package io.kdpipe.cli;

import io.kdpipe.cli.local.LocalCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kdpipe} command. */
@Command(name = "kdpipe",
        mixinStandardHelpOptions = true,
        version = "kdpipe 0.1.0",
        description = "Kingdee customer changes to DingTalk work notifications, over Kafka.",
        subcommands = {LocalCommand.class, CommandLine.HelpCommand.class})
public final class Kdpipe {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Kdpipe()).execute(args));
    }
}
