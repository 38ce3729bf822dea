package io.kdpipe.cli.operate;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

import io.kdpipe.cli.Kdpipe;
import picocli.CommandLine;

/** Runs {@code kdpipe} in-process the way a shell would, capturing its output. */
public final class Cli {

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {
    }

    static Result runAnswering(Map<String, String> env, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Kdpipe.commandLine(OperateContext.of(env, new StringReader(input), Clock.systemUTC()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    public static Result run(Map<String, String> env, String... args) {
        return runAnswering(env, "", args);
    }
}
