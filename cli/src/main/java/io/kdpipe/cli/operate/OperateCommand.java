package io.kdpipe.cli.operate;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.kdpipe.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every operator command shares: the connection options, the context, and turning failures
 * into one clear message on stderr with an exit status from {@link ExitCodes}.
 */
public abstract class OperateCommand implements Callable<Integer> {

    /** Set by {@link OperateFactory}. */
    OperateContext context = OperateContext.system();

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (OperateException e) {
            err().println("kdpipe " + spec.name() + ": " + e.getMessage());
            return e.exitCode();
        } catch (ConfigException e) {
            err().println("kdpipe " + spec.name() + ": bad configuration");
            e.problems().forEach(p -> err().println("  " + p));
            return ExitCodes.USAGE;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            err().println("kdpipe " + spec.name() + ": failed: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** The command's work; returns its exit status. */
    protected abstract int run();

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected OperateException usage(String message) {
        return new OperateException(ExitCodes.USAGE, message);
    }

    /**
     * Asks the operator to confirm; true only for an explicit yes. With no answer (end of input) it
     * counts as no.
     */
    protected boolean confirm(String question) {
        out().print(question + " [y/N] ");
        out().flush();
        try {
            String answer = context.input().readLine();
            out().println();
            return answer != null && switch (answer.trim().toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> true;
                default -> false;
            };
        } catch (IOException e) {
            return false;
        }
    }
}
