package io.kdpipe.cli.operate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.contract.AuditRecord;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.Decoded;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.routing.RoutingPolicy;
import io.kdpipe.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Resends notices: each selected notice is published again to {@code dingtalk.notices.v1} with a new
 * id, {@code provenance.replayOf} set to the original id and a visible resend marker, so neither the
 * delivery ledger nor DingTalk's same-day rule swallows it. Notices that are themselves resends are
 * never selected. A notice resent before is resent again only with {@code --again}. With
 * {@code --reroute} the resend goes to whom the current directory names (see {@link Rerouting}).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Resend notices from dingtalk.notices.v1 with a visible （重发） marker and a new id.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kdpipe replay --customer CUST0042 --dry-run",
                "      show what would be resent for customer CUST0042 (FNumber)",
                "  kdpipe replay --from '2026-11-28 09:00' --to '2026-11-28 12:00' --rate 5",
                "      resend the notices built that morning (Asia/Shanghai), 5 per second",
                "  kdpipe replay --notice n-3f2a9c... --yes",
                "      resend one notice without asking",
                "  kdpipe replay --customer CUST0042 --again",
                "      resend notices that were already resent once (asks to confirm)",
                "  kdpipe replay --notice n-3f2a9c... --reroute --config transformer.properties",
                "      resend one notice to whom the current directory names, not to its original recipients",
                "",
                "Exit status: 0 done, 1 failed, 2 bad arguments, 3 refused or not confirmed, 4 Kafka unreachable."})
public final class ReplayCommand extends OperateCommand {

    @Option(names = "--from", paramLabel = "TIME", description = "notices built at or after TIME (with --to)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "notices built before TIME (with --from)")
    String to;

    @Option(names = "--customer", paramLabel = "FNUMBER", description = "notices about the customer with this number (FNumber)")
    String customer;

    @Option(names = "--notice", paramLabel = "ID", split = ",", description = "notices with these ids")
    List<String> noticeIds;

    @Mixin
    RerouteOption reroute;

    @Option(names = "--dry-run", description = "print what would be resent; change nothing")
    boolean dryRun;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "5", description = "resends per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
    boolean yes;

    @Option(names = "--again", description = "also resend notices that were resent before (asks unless --yes)")
    boolean again;

    @Option(names = "--confirm-above", paramLabel = "N", defaultValue = "10",
            description = "ask for confirmation when more than N notices would be sent (default: ${DEFAULT-VALUE})")
    int confirmAbove;

    /**
     * One notice selected, and the resends made of it before.
     *
     * @param route  with {@code --reroute}: whom re-routing found; else null
     */
    record Selected(String key, Notice notice, List<String> earlierResends, String route) {
    }

    private List<Selected> reroute(Rerouting rerouting, List<Selected> selected) {
        List<Selected> out = new ArrayList<>();
        for (Selected s : selected) {
            Rerouting.Outcome o = rerouting.reroute(s.notice());
            out.add(o.rerouted() ? new Selected(Rerouting.key(o.notice()), o.notice(), s.earlierResends(), o.summary())
                    : new Selected(s.key(), s.notice(), s.earlierResends(), o.summary()));
        }
        return out;
    }

    @Override
    protected int run() {
        ConfigReader reader = connection.reader(context);
        KafkaConfig kafkaConfig = KafkaConfig.read(reader);
        ZoneId zone = reader.zone("KDPIPE_DISPLAY_ZONE", "Asia/Shanghai", "zone times are shown and read in");
        RoutingPolicy policy = reroute.policy(reader);
        reader.validate();
        Selection selection = selection(zone);
        if (rate <= 0) {
            throw usage("--rate must be positive");
        }
        try (KafkaAccess kafka = KafkaAccess.connect(kafkaConfig, connection.timeout())) {
            Set<String> customerKeys = customer == null ? Set.of() : customerKeys(kafka, customer);
            if (customer != null && customerKeys.isEmpty()) {
                throw new OperateException(ExitCodes.FAILED, "no customer with FNumber " + customer + " in "
                        + kafka.name(Topics.CUSTOMERS));
            }
            List<Selected> selected = select(kafka, selection, customerKeys);
            if (reroute.requested) {
                selected = reroute(Rerouting.load(policy, kafka), selected);
                List<Selected> nobody = selected.stream().filter(x -> x.notice().recipients().isEmpty()).toList();
                if (!nobody.isEmpty()) {
                    out().println(nobody.size() + " notice(s) still reach nobody with the current directory; they are not resent:");
                    nobody.forEach(x -> out().println("  " + x.notice().id()));
                    selected = selected.stream().filter(x -> !x.notice().recipients().isEmpty()).toList();
                }
            }
            print(selected, zone);
            if (selected.isEmpty()) {
                out().println("Nothing to resend.");
                return ExitCodes.OK;
            }
            if (dryRun) {
                out().println("Dry run: nothing was sent.");
                return ExitCodes.OK;
            }
            List<Selected> resentBefore = selected.stream().filter(s -> !s.earlierResends().isEmpty()).toList();
            if (!resentBefore.isEmpty()) {
                out().println(resentBefore.size() + " of these notices were resent before:");
                resentBefore.forEach(s -> out().println("  " + s.notice().id() + " -> " + String.join(", ", s.earlierResends())));
                if (!again) {
                    throw new OperateException(ExitCodes.REFUSED, "refused: " + resentBefore.size()
                            + " notice(s) were already resent; run again with --again to resend them once more");
                }
                if (!yes && !confirm("Resend them once more?")) {
                    throw new OperateException(ExitCodes.REFUSED, "not confirmed; nothing was sent");
                }
            } else if (selected.size() > confirmAbove && !yes
                    && !confirm("Resend " + selected.size() + " notices?")) {
                throw new OperateException(ExitCodes.REFUSED, "not confirmed; nothing was sent");
            }
            kafka.ensure(List.of(Topics.NOTICES, Topics.AUDIT));
            return resend(kafka, selection, selected, zone);
        }
    }

    /** What the options select; exactly one kind of selection. */
    record Selection(Instant from, Instant to, String customer, Set<String> noticeIds, Map<String, String> described) {
        boolean matches(Notice n, Set<String> customerKeys) {
            if (from != null) {
                return !n.createdAt().isBefore(from) && n.createdAt().isBefore(to);
            }
            if (customer != null) {
                return n.customerKeys().stream().anyMatch(customerKeys::contains);
            }
            return noticeIds.contains(n.id());
        }
    }

    private Selection selection(ZoneId zone) {
        int kinds = (from != null || to != null ? 1 : 0) + (customer != null ? 1 : 0) + (noticeIds != null ? 1 : 0);
        if (kinds != 1) {
            throw usage("choose exactly one selection: --from/--to, --customer or --notice (see --help)");
        }
        Map<String, String> described = new TreeMap<>();
        if (reroute.requested) {
            described.put("reroute", "true");
        }
        if (from != null || to != null) {
            if (from == null || to == null) {
                throw usage("--from and --to go together");
            }
            Instant f = Times.parse("--from", from, zone, context.clock());
            Instant t = Times.parse("--to", to, zone, context.clock());
            if (!f.isBefore(t)) {
                throw usage("--from must be before --to");
            }
            described.put("from", f.toString());
            described.put("to", t.toString());
            return new Selection(f, t, null, Set.of(), described);
        }
        if (customer != null) {
            described.put("customer", customer);
            return new Selection(null, null, customer, Set.of(), described);
        }
        described.put("notice", String.join(",", noticeIds));
        return new Selection(null, null, null, new HashSet<>(noticeIds), described);
    }

    /** The {@code {account}:{FCUSTID}} keys of the customer rows whose FNumber is {@code number}. */
    private static Set<String> customerKeys(KafkaAccess kafka, String number) {
        Map<String, Boolean> latest = new LinkedHashMap<>();
        kafka.scan(kafka.name(Topics.CUSTOMERS), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                return;
            }
            if (CustomerRow.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<CustomerRow> ok) {
                JsonNode n = ok.value().fields().get("FNumber");
                if (n != null && number.equals(n.asText())) {
                    latest.put(key, true);
                }
            }
        });
        return latest.keySet();
    }

    private List<Selected> select(KafkaAccess kafka, Selection selection, Set<String> customerKeys) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Notice> originals = new LinkedHashMap<>();
        Map<String, List<String>> resends = new TreeMap<>();
        kafka.scan(kafka.name(Topics.NOTICES), r -> {
            if (r.value() == null || !(Notice.CODEC.tryDecode(r.value()) instanceof Decoded.Ok<Notice> ok)) {
                return;
            }
            Notice n = ok.value();
            String replayOf = n.provenance().replayOf();
            if (replayOf != null) {
                resends.computeIfAbsent(replayOf, k -> new ArrayList<>()).add(n.id());
            } else if (!originals.containsKey(n.id()) && selection.matches(n, customerKeys)) {
                originals.put(n.id(), n);
                keys.put(n.id(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
            }
        });
        List<Selected> out = new ArrayList<>();
        originals.forEach((id, n) -> out.add(new Selected(keys.get(id), n, resends.getOrDefault(id, List.of()), null)));
        return out;
    }

    private void print(List<Selected> selected, ZoneId zone) {
        out().println("Selected " + selected.size() + " notice(s):");
        if (selected.isEmpty()) {
            return;
        }
        out().printf("  %-36s %-9s %-19s %-10s %s%n", "NOTICE", "KIND", "BUILT", "RECIPIENTS", "CUSTOMERS");
        for (Selected s : selected) {
            Notice n = s.notice();
            out().printf("  %-36s %-9s %-19s %-10d %s%n", n.id(), n.kind(),
                    n.createdAt().atZone(zone).toLocalDateTime().withNano(0).toString().replace('T', ' '),
                    n.recipients().userIds().size() + n.recipients().deptIds().size(), String.join(",", n.customerKeys()));
            if (s.route() != null) {
                out().println("    re-routed " + s.route());
            }
        }
    }

    private int resend(KafkaAccess kafka, Selection selection, List<Selected> selected, ZoneId zone) {
        String runId = "replay-" + UUID.randomUUID();
        String suffix = runId.substring("replay-".length(), "replay-".length() + 8);
        String topic = kafka.name(Topics.NOTICES);
        Pacer pacer = new Pacer(rate);
        List<String> originals = new ArrayList<>();
        List<String> resentIds = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(null, null)) {
            for (Selected s : selected) {
                pacer.await();
                Notice n = s.notice();
                Instant now = context.clock().instant();
                Notice resend = new Notice(Notice.VERSION, n.id() + "-r" + suffix, n.kind(), n.customerKeys(),
                        n.recipients(), ResendMarker.mark(n.msg(), n.createdAt(), now, zone),
                        new Notice.Provenance(n.provenance().sourceTopic(), n.provenance().partition(),
                                n.provenance().offset(), n.provenance().sourceModifiedAt(), n.id()),
                        now, n.routing());
                sends.add(producer.send(new ProducerRecord<>(topic,
                        s.key() == null ? null : s.key().getBytes(StandardCharsets.UTF_8), Notice.CODEC.encode(resend))));
                originals.add(n.id());
                resentIds.add(resend.id());
            }
            producer.flush();
            for (Future<RecordMetadata> f : sends) {
                f.get(kafka.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            }
            AuditRecord audit = new AuditRecord(AuditRecord.VERSION, runId, AuditRecord.REPLAY, AuditLog.user(), AuditLog.host(),
                    context.clock().instant(), selection.described(), selected.size(), resentIds.size(),
                    originals, resentIds, List.of(), List.of());
            producer.send(AuditLog.record(kafka, audit)).get(kafka.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new OperateException(ExitCodes.FAILED, "publishing the resends failed after " + resentIds.size()
                    + " of " + selected.size() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperateException(ExitCodes.FAILED, "interrupted");
        }
        out().println("Resent " + resentIds.size() + " notice(s) to " + topic + " (run " + runId + "):");
        for (int i = 0; i < originals.size(); i++) {
            out().println("  " + originals.get(i) + " -> " + resentIds.get(i));
        }
        return ExitCodes.OK;
    }
}
