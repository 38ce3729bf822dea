package io.kdpipe.cli.trail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's usage errors and its answer when Kafka cannot be reached. */
class TrailCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrailCommand(env, Clock.systemUTC()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void needsExactlyOneOfCustomerAndNotice() {
        assertThat(run(Map.of()).exit()).isEqualTo(TrailCommand.USAGE);
        Result both = run(Map.of(), "--customer", "C1", "--notice", "n-1");
        assertThat(both.exit()).isEqualTo(TrailCommand.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void listsEveryConfigurationProblem() {
        Result r = run(Map.of("KDPIPE_DISPLAY_ZONE", "Mars/Base"), "--customer", "C1");
        assertThat(r.exit()).isEqualTo(TrailCommand.USAGE);
        assertThat(r.err()).contains("bad configuration").contains("KAFKA_BOOTSTRAP_SERVERS").contains("KDPIPE_DISPLAY_ZONE");
        assertThat(run(Map.of(), "--customer", "C1", "-b", "localhost:1", "--limit", "0").exit()).isEqualTo(TrailCommand.USAGE);
    }

    @Test
    void saysKafkaIsUnreachableWithinTheTimeout() {
        Result r = run(Map.of(), "--customer", "C1", "-b", "localhost:1", "--timeout", "1");
        assertThat(r.exit()).as(r.err()).isEqualTo(TrailCommand.UNREACHABLE);
        assertThat(r.err()).contains("Kafka unreachable");
    }
}
