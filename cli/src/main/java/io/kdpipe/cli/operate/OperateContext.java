package io.kdpipe.cli.operate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * What the operator commands take from outside the command line: the environment their settings
 * come from, where confirmations are read, and the clock.
 *
 * @param env    environment variables (the same keys the services read)
 * @param input  where answers to confirmation prompts come from
 * @param clock  the time used for audit records, resend markers and the budget month
 */
public record OperateContext(Map<String, String> env, BufferedReader input, Clock clock) {

    public OperateContext {
        env = Map.copyOf(env);
    }

    /** The process environment, standard input and the system clock. */
    public static OperateContext system() {
        return new OperateContext(System.getenv(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), Clock.systemUTC());
    }

    /** The given environment and input; for tests and embedding. */
    public static OperateContext of(Map<String, String> env, Reader input, Clock clock) {
        return new OperateContext(env, new BufferedReader(input), clock);
    }
}
