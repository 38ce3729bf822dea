package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Moves dead letters back to the topic named in their origin header. The moves, the parkings and the
 * run's audit record (which lists every dead letter it handled) commit in one Kafka transaction, so a
 * run either happens completely or not at all, and later runs skip what earlier runs handled. All
 * runs share one transactional id: a second run started while one is under way fences it, and its
 * moves are aborted. With {@code --reroute}, a notice's recipients are resolved again from the current
 * directory before it moves (see {@link Rerouting}).
 */
@Command(name = "redrive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move dead letters from dingtalk.notices.dlt.v1 and kdpipe.rows.dlt.v1 back to their origin topic.",
                "The key, value and original headers are kept; kdpipe.errors.redrive.count is raised. A dead letter "
                        + "already redriven --max-redrives times goes to kdpipe.deadletters.parked.v1 instead. Only "
                        + "pipeline topics are accepted as targets. Rows the extractor could not read from Kingdee "
                        + "(stage extract) are never moved: the customer is read again at its next save."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe redrive --dry-run",
                "      list every dead letter and what a redrive would do with it",
                "  kdpipe redrive --error-class RETRY_DEADLINE --since 2h --rate 5",
                "      move back the notices that ran out of retries in the last two hours, 5 per second",
                "  kdpipe redrive --errcode 90018 --limit 100 --yes",
                "      move back at most 100 notices DingTalk refused for rate, without asking",
                "  kdpipe redrive --reroute --config transformer.properties",
                "      after fixing the directory: send dead-lettered notices to whom the directory names now",
                "",
                "Exit status: 0 done, 1 failed, 2 bad arguments, 3 refused (foreign target or not confirmed), 4 Kafka unreachable, "
                        + "5 some notices still reach nobody after --reroute (they stay)."})
public final class RedriveCommand extends OperateCommand {

    @Option(names = "--error-class", paramLabel = "CLASS", split = ",",
            description = "only dead letters with this kdpipe.errors.class (e.g. RETRY_DEADLINE, PERMANENT, MALFORMED)")
    List<String> errorClasses;

    @Option(names = "--errcode", paramLabel = "N", description = "only dead letters with this DingTalk errcode")
    Long errcode;

    @Option(names = "--since", paramLabel = "TIME", description = "only dead letters written at or after TIME (e.g. 2h, '2026-11-29 08:00')")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "at most N dead letters per run (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10", description = "records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--max-redrives", paramLabel = "K",
            description = "park a dead letter already redriven K times (default: KDPIPE_REDRIVE_MAX or 3)")
    Integer maxRedrives;

    @Mixin
    RerouteOption reroute;

    @Option(names = "--dry-run", description = "print what would be moved; change nothing")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
    boolean yes;

    @Option(names = "--confirm-above", paramLabel = "N", defaultValue = "50",
            description = "ask for confirmation when more than N dead letters would be moved (default: ${DEFAULT-VALUE})")
    int confirmAbove;

    /** Dead letters of rows the extractor could not read from Kingdee that the selection met: they stay. */
    private int fromKingdee;

    /** The longest transaction a broker allows by default ({@code transaction.max.timeout.ms}), less a margin. */
    private static final Duration MAX_RUN = Duration.ofMinutes(14);

    enum Action { MOVE, PARK, REFUSE, STAY }

    /**
     * @param key    the key to write (the record's own, or the new recipient group's after re-routing)
     * @param value  the value to write (the record's own, or the re-routed notice)
     * @param route  after re-routing: whom it goes to now; else null
     */
    record Planned(ConsumerRecord<byte[], byte[]> record, String target, int count, Action action, byte[] key, byte[] value,
                   String route) {
        String coordinate() {
            return coordinate(record);
        }

        static String coordinate(ConsumerRecord<?, ?> r) {
            return r.topic() + "/" + r.partition() + "/" + r.offset();
        }
    }

    @Override
    protected int run() {
        ConfigReader reader = connection.reader(context);
        KafkaConfig kafkaConfig = KafkaConfig.read(reader);
        ZoneId zone = reader.zone("KDPIPE_DISPLAY_ZONE", "Asia/Shanghai", "zone times are shown and read in");
        int k = maxRedrives != null ? maxRedrives
                : reader.integer("KDPIPE_REDRIVE_MAX", 3, 1, 1000, "redrives of one dead letter before it is parked");
        String txId = reader.string("KDPIPE_REDRIVE_TRANSACTIONAL_ID", "kdpipe-redrive",
                "transactional id shared by every redrive run, so two runs never move the same dead letter");
        RoutingPolicy policy = reroute.policy(reader);
        reader.validate();
        if (k < 1) {
            throw usage("--max-redrives must be at least 1");
        }
        if (limit < 1) {
            throw usage("--limit must be at least 1");
        }
        if (rate <= 0) {
            throw usage("--rate must be positive");
        }
        if (Duration.ofMillis((long) (limit / rate * 1000)).compareTo(MAX_RUN) > 0) {
            throw usage("--limit " + limit + " at --rate " + rate + "/s would take longer than one run may ("
                    + MAX_RUN.toMinutes() + " min); lower --limit or raise --rate");
        }
        Instant from = since == null ? null : Times.parse("--since", since, zone, context.clock());

        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            Set<String> allowed = Set.of(kafka.name(Topics.NOTICES), kafka.name(Topics.CUSTOMERS));
            KafkaProducer<byte[], byte[]> producer = null;
            try {
                if (!dryRun) {
                    kafka.ensure(List.of(Topics.AUDIT, Topics.PARKED));
                    // fence any other run before reading what earlier runs did
                    producer = kafka.producer(txId, Duration.ofMillis((long) (limit / rate * 1000)).plusMinutes(1));
                    producer.initTransactions();
                }
                Set<String> handled = handledBefore(kafka);
                Rerouting rerouting = reroute.requested ? Rerouting.load(policy, kafka) : null;
                List<Planned> plan = plan(kafka, handled, allowed, from, k, rerouting);
                print(plan, k);
                if (fromKingdee > 0) {
                    out().println(fromKingdee + " dead letter(s) of rows Kingdee sent with a key or date the extractor cannot read stay "
                            + "(stage extract): there is no record to move back; the customer is read again at its next save in Kingdee.");
                }
                if (plan.isEmpty()) {
                    out().println("Nothing to redrive.");
                    return ExitCodes.OK;
                }
                long refused = plan.stream().filter(p -> p.action() == Action.REFUSE).count();
                long staying = plan.stream().filter(p -> p.action() == Action.STAY).count();
                if (dryRun) {
                    out().println("Dry run: nothing was moved.");
                    return refused > 0 ? ExitCodes.REFUSED : staying > 0 ? ExitCodes.INCOMPLETE : ExitCodes.OK;
                }
                List<Planned> work = plan.stream().filter(p -> p.action() == Action.MOVE || p.action() == Action.PARK).toList();
                if (!work.isEmpty() && work.size() > confirmAbove && !yes
                        && !confirm("Move " + work.size() + " dead letters?")) {
                    throw new OperateException(ExitCodes.REFUSED, "not confirmed; nothing was moved");
                }
                if (!work.isEmpty()) {
                    execute(kafka, producer, plan, work);
                }
                if (refused > 0) {
                    err().println("kdpipe redrive: refused " + refused + " dead letter(s) whose origin is not a pipeline topic "
                            + allowed + "; they stay in the dead-letter topic");
                    return ExitCodes.REFUSED;
                }
                if (staying > 0) {
                    err().println("kdpipe redrive: " + staying + " notice(s) still reach nobody with the current directory; they stay "
                            + "in the dead-letter topic (fix the directory, then run again)");
                    return ExitCodes.INCOMPLETE;
                }
                return ExitCodes.OK;
            } finally {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(5));
                }
            }
        }
    }

    private static Set<String> handledBefore(KafkaAccess kafka) {
        Set<String> handled = new HashSet<>();
        for (AuditRecord a : AuditLog.readAll(kafka)) {
            if (AuditRecord.REDRIVE.equals(a.command())) {
                handled.addAll(a.moved());
                handled.addAll(a.parked());
            }
        }
        return handled;
    }

    private List<Planned> plan(KafkaAccess kafka, Set<String> handled, Set<String> allowed, Instant from, int k,
                               Rerouting rerouting) {
        List<Planned> plan = new ArrayList<>();
        String notices = kafka.name(Topics.NOTICES);
        for (String dlt : List.of(kafka.name(Topics.NOTICES_DLT), kafka.name(Topics.ROWS_DLT))) {
            kafka.scan(dlt, r -> {
                if (plan.size() >= limit || handled.contains(Planned.coordinate(r)) || !matches(r, from)) {
                    return;
                }
                if (DeadLetterHeaders.STAGE_EXTRACT.equals(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.STAGE))) {
                    fromKingdee++;
                    return;
                }
                String target = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC);
                int count = redriveCount(r.headers());
                Action action = target == null || !allowed.contains(target) ? Action.REFUSE
                        : count >= k ? Action.PARK : Action.MOVE;
                if (action == Action.MOVE && rerouting != null && notices.equals(target)
                        && Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok) {
                    Rerouting.Outcome outcome = rerouting.reroute(ok.value());
                    if (outcome.rerouted()) {
                        Notice n = outcome.notice();
                        plan.add(new Planned(r, target, count, n.recipients().isEmpty() ? Action.STAY : Action.MOVE,
                                Rerouting.key(n).getBytes(StandardCharsets.UTF_8), Notice.CODEC.encode(n), outcome.summary()));
                        return;
                    }
                    plan.add(new Planned(r, target, count, action, r.key(), r.value(), outcome.summary()));
                    return;
                }
                plan.add(new Planned(r, action == Action.PARK ? kafka.name(Topics.PARKED) : target, count, action, r.key(), r.value(),
                        null));
            });
        }
        return plan;
    }

    private boolean matches(ConsumerRecord<byte[], byte[]> r, Instant from) {
        if (errorClasses != null && !errorClasses.contains(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CLASS))) {
            return false;
        }
        if (errcode != null && !String.valueOf(errcode).equals(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.DINGTALK_ERRCODE))) {
            return false;
        }
        return from == null || r.timestamp() >= from.toEpochMilli();
    }

    static int redriveCount(Headers headers) {
        String v = DeadLetterHeaders.text(headers, DeadLetterHeaders.REDRIVE_COUNT);
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void print(List<Planned> plan, int k) {
        out().println("Selected " + plan.size() + " dead letter(s) (parking after " + k + " redrives):");
        if (plan.isEmpty()) {
            return;
        }
        out().printf("  %-44s %-16s %-8s %-7s %-7s %s%n", "DEAD LETTER", "ERROR CLASS", "ERRCODE", "REDRIVES", "ACTION", "TARGET");
        for (Planned p : plan) {
            Headers h = p.record().headers();
            out().printf("  %-44s %-16s %-8s %-8d %-7s %s%n", p.coordinate(),
                    orDash(DeadLetterHeaders.text(h, DeadLetterHeaders.ERROR_CLASS)),
                    orDash(DeadLetterHeaders.text(h, DeadLetterHeaders.DINGTALK_ERRCODE)), p.count(), p.action(),
                    p.action() == Action.REFUSE ? "refused: " + orDash(p.target())
                            : p.action() == Action.STAY ? "stays: still reaches nobody"
                            : p.target() + (p.route() == null ? "" : ", re-routed " + p.route()));
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private void execute(KafkaAccess kafka, KafkaProducer<byte[], byte[]> producer, List<Planned> plan, List<Planned> work) {
        String runId = "redrive-" + UUID.randomUUID();
        Pacer pacer = new Pacer(rate);
        List<String> moved = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        try {
            producer.beginTransaction();
            for (Planned p : work) {
                pacer.await();
                ConsumerRecord<byte[], byte[]> r = p.record();
                if (p.action() == Action.MOVE) {
                    producer.send(new ProducerRecord<>(p.target(), null, p.key(), p.value(), backHeaders(r.headers(), p.count() + 1)));
                    moved.add(p.coordinate());
                } else {
                    producer.send(new ProducerRecord<>(p.target(), null, r.key(), r.value(), r.headers()));
                    parked.add(p.coordinate());
                }
            }
            Map<String, String> selection = new TreeMap<>();
            if (errorClasses != null) {
                selection.put("errorClass", String.join(",", errorClasses));
            }
            if (errcode != null) {
                selection.put("errcode", String.valueOf(errcode));
            }
            if (since != null) {
                selection.put("since", since);
            }
            selection.put("limit", String.valueOf(limit));
            if (reroute.requested) {
                selection.put("reroute", "true");
            }
            AuditRecord audit = new AuditRecord(AuditRecord.VERSION, runId, AuditRecord.REDRIVE, AuditLog.user(), AuditLog.host(),
                    context.clock().instant(), selection, plan.size(), moved.size() + parked.size(),
                    List.of(), List.of(), moved, parked);
            producer.send(AuditLog.record(kafka, audit));
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw new OperateException(ExitCodes.FAILED, "another redrive run started meanwhile; this run's moves were not committed");
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // the transaction times out on the broker if it cannot be aborted now
            }
            throw new OperateException(ExitCodes.FAILED, "the redrive was not committed (nothing moved): " + e.getMessage());
        }
        out().println("Moved " + moved.size() + " dead letter(s) back and parked " + parked.size() + " (run " + runId + ").");
    }

    /** The record's own headers (not the dead letter's error context) plus the raised redrive count. */
    private static Headers backHeaders(Headers dead, int count) {
        RecordHeaders h = new RecordHeaders();
        for (Header header : dead) {
            if (!DeadLetterHeaders.isErrorContext(header.key())) { // the error context is the dead letter's, not the record's
                h.add(header);
            }
        }
        h.add(DeadLetterHeaders.REDRIVE_COUNT, String.valueOf(count).getBytes(StandardCharsets.UTF_8));
        return h;
    }
}
