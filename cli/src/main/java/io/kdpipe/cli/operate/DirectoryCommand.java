package io.kdpipe.cli.operate;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kdpipe directory import|resolve}: the Kingdee salesperson to DingTalk userid map. */
@Command(name = "directory", mixinStandardHelpOptions = true,
        description = "Maintain dingtalk.directory.v1, the map from Kingdee salesperson numbers to DingTalk userids.",
        subcommands = {DirectoryImportCommand.class, DirectoryResolveCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe directory import salespeople.csv",
                "  kdpipe directory resolve --dry-run"})
public final class DirectoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("kdpipe directory: choose 'import FILE.csv' or 'resolve'");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
