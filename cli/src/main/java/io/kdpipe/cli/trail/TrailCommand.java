package io.kdpipe.cli.trail;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kdpipe.cli.operate.OperateException;
import io.kdpipe.cli.operate.SettingsOptions;
import io.kdpipe.common.config.ConfigException;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.trail.Trail;
import io.kdpipe.common.trail.TrailReader;
import io.kdpipe.common.trail.TrailStory;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdpipe trail}: what happened to one customer (or one notice), conclusion first, then one line
 * per event in time order. Read from {@code kdpipe.trail.v1} joined with the notices, the delivery
 * ledger, the notice dead letters and the audit log; writes nothing.
 */
@Command(name = "trail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "What happened to a customer or a notice: extracted rows, changes found or suppressed, "
                + "notices, deliveries, dead letters, replays and redrives. Conclusion first.",
        footer = {"", "Examples:",
                "  kdpipe trail --customer CUST0042",
                "  kdpipe trail --customer CUST0042 --org 100 --json",
                "  kdpipe trail --notice n-3f2a...",
                "", "Exit status: 0 found, 1 no such customer or notice, 2 bad usage or configuration, 4 Kafka unreachable."})
public final class TrailCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 4;

    static final class Target {
        @Option(names = "--customer", paramLabel = "FNUMBER", required = true, description = "the customer's number (FNumber)")
        String customer;

        @Option(names = "--notice", paramLabel = "ID", required = true, description = "one notice's id")
        String notice;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--org", paramLabel = "ORG", description = "with --customer: only the customer in this use organization (FUseOrgId.FNumber)")
    String org;

    @Option(names = "--json", description = "print the trail as JSON, the same as the transformer's /trail endpoint")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "the most recent N events (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--days", paramLabel = "D", defaultValue = "90",
            description = "events of the last D days (default: ${DEFAULT-VALUE}; kdpipe.trail.v1 keeps 90)")
    int days;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for Kafka per topic (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final Map<String, String> environment;
    private final Clock clock;

    /** Settings from the process environment. */
    public TrailCommand() {
        this(System.getenv(), Clock.systemUTC());
    }

    TrailCommand(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (OperateException e) {
            err.println("kdpipe trail: " + e.getMessage());
            return e.exitCode();
        } catch (ConfigException e) {
            err.println("kdpipe trail: bad configuration");
            e.problems().forEach(p -> err.println("  " + p));
            return USAGE;
        } catch (TimeoutException e) {
            err.println("kdpipe trail: Kafka unreachable: " + e.getMessage());
            return UNREACHABLE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        ConfigReader reader = settings.reader(environment);
        KafkaConfig kafka = KafkaConfig.read(reader);
        ZoneId zone = reader.zone("KDPIPE_DISPLAY_ZONE", "Asia/Shanghai", "zone times are shown in");
        String transformerGroup = reader.string("KDPIPE_TRANSFORMER_APPLICATION_ID", "kdpipe-transformer",
                "the transformer's application id: row versions it has not processed yet are told apart");
        reader.validate();
        if (timeoutSeconds < 1 || limit < 1 || days < 1) {
            err.println("kdpipe trail: --timeout, --limit and --days must be at least 1");
            return USAGE;
        }
        if (org != null && target.notice != null) {
            err.println("kdpipe trail: --org goes with --customer");
            return USAGE;
        }
        TrailStory.Query query = new TrailStory.Query(target.customer, org, target.notice, limit, Duration.ofDays(days));
        TrailReader trailReader = new TrailReader(kafka.clientProperties(), kafka.topicPrefix(), transformerGroup,
                Duration.ofSeconds(timeoutSeconds));
        Optional<Trail> trail = new TrailStory(zone, clock).build(trailReader.read(query), query);
        if (trail.isEmpty()) {
            err.println("kdpipe trail: the trail knows no " + query.describe()
                    + (target.customer != null ? " (is the FNumber right? the trail starts when the transformer first reads the customer)" : ""));
            return NOT_FOUND;
        }
        if (json) {
            try {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(trail.get().json()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.print(trail.get().text(zone));
        }
        return OK;
    }
}
