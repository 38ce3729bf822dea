package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kdpipe.bench.report.Result;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * B6: peak resident memory ({@code VmHWM}) of each service in its own JVM at {@code -Xmx256m},
 * started from its runnable jar ({@code <service>/target/<service>-<version>.jar} + {@code target/lib})
 * with {@code MALLOC_ARENA_MAX=2} and {@code JDK_JAVA_OPTIONS} as its container sets them
 * ({@link ContainerJvm}), {@code -Xmx256m} in place of the heap share, the JVM sizing itself as in its
 * pod (1 CPU; a second run as in a pod given 2 CPUs),
 * under the B1–B3 loads at once: the extractor snapshots the Kingdee sandbox (B2, no added latency),
 * the transformer works through a B1 backlog plus the snapshot with notices on, the notifier sends
 * at the sandbox's 20 calls/s (B3).
 */
public final class B6Memory {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    private B6Memory() {
    }

    /** {@code -Dbench.nmt=true}: the services run with native memory tracking, summarised before they stop. */
    private static final boolean NATIVE_MEMORY_TRACKING = Boolean.getBoolean("bench.nmt");

    /** How the service JVMs are started: a result id suffix, the flags beyond {@code -Xmx256m} per service, and why. */
    private record Jvm(String suffix, Map<String, List<String>> flags, String note) {
    }

    private static final List<Jvm> JVMS = List.of(
            // deploy/k8s/base: cpu limit 1 everywhere; memory limit 1Gi for the transformer, 512Mi for the others
            new Jvm("", Map.of(
                    "extractor", List.of("-XX:ActiveProcessorCount=1", "-XX:MaxRAM=512m"),
                    "transformer", List.of("-XX:ActiveProcessorCount=1", "-XX:MaxRAM=1g"),
                    "notifier", List.of("-XX:ActiveProcessorCount=1", "-XX:MaxRAM=512m")),
                    "the JVM sizes itself as in its pod (1 CPU, so SerialGC unless its options choose a collector; initial heap "
                            + "1/64 of the pod's memory limit)"),
            // the same pods given 2 CPUs: without a collector in its options the JVM would pick G1
            new Jvm("-2cpu", Map.of(
                    "extractor", List.of("-XX:ActiveProcessorCount=2", "-XX:MaxRAM=512m"),
                    "transformer", List.of("-XX:ActiveProcessorCount=2", "-XX:MaxRAM=1g"),
                    "notifier", List.of("-XX:ActiveProcessorCount=2", "-XX:MaxRAM=512m")),
                    "the JVM sizes itself as in its pod given 2 CPUs (G1 unless its options choose a collector; initial heap 1/64 "
                            + "of the pod's memory limit)"));

    public static List<Result> run(Ctx ctx, Path repo) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Jvm jvm : JVMS) {
            results.addAll(run(ctx, repo, jvm));
        }
        return results;
    }

    private static List<Result> run(Ctx ctx, Path repo, Jvm jvm) throws Exception {
        int customers = ctx.scaled(50_000);
        int backlog = ctx.scaled(25_000);
        try (KingdeeSandbox kingdee = KingdeeSandbox.start(KingdeeSandboxOptions.defaults().withCustomers(customers));
                DingTalkSandbox dingTalk = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                        .users(DingTalkSandboxOptions.numberedUsers(24)).perUserDailyCap(1_000_000)
                        .monthlyQuota(1_000_000).build())) {
            String id = ctx.id("b6");
            String prefix = id + ".";
            Kafka kafka = ctx.kafka();
            kafka.ensure(prefix, Topics.ALL);
            List<ProducerRecord<byte[], byte[]>> load = new ArrayList<>();
            for (DirectoryEntry e : Rows.people(24, Instant.now())) {
                load.add(new ProducerRecord<>(Topics.DIRECTORY.name(prefix), e.key().getBytes(StandardCharsets.UTF_8), DirectoryEntry.CODEC.encode(e)));
            }
            for (int v = 0; v < 4; v++) {
                for (long c = 0; c < backlog; c++) {
                    CustomerRow row = Rows.row(c, v, 24, true, CustomerRow.Phase.INCREMENTAL);
                    load.add(new ProducerRecord<>(Topics.CUSTOMERS.name(prefix), row.key().getBytes(StandardCharsets.UTF_8),
                            CustomerRow.CODEC.encode(row)));
                }
            }
            kafka.produce(load);
            load.clear();
            long rows = kingdee.table().size() + 4L * backlog;

            Map<String, Map<String, String>> envs = new LinkedHashMap<>();
            envs.put("extractor", Services.extractorEnv(kafka.bootstrap(), prefix, kingdee, id));
            Map<String, String> tenv = Services.transformerEnv(kafka.bootstrap(), prefix, id, ctx.scratch("b6-state").toString());
            tenv.put("KDPIPE_NOTIFY_SNAPSHOT", "true");
            envs.put("transformer", tenv);
            Map<String, String> nenv = Services.notifierEnv(kafka.bootstrap(), prefix, dingTalk, id);
            nenv.put("DINGTALK_MONTHLY_BUDGET", "1000000");
            envs.put("notifier", nenv);

            Map<String, String> options = new LinkedHashMap<>();
            envs.keySet().forEach(service -> options.put(service, ContainerJvm.options(repo, service)));
            Map<String, Process> processes = new LinkedHashMap<>();
            Map<String, Long> peak = new LinkedHashMap<>();
            Path logs = ctx.scratch("b6-logs");
            try {
                for (var e : envs.entrySet()) {
                    Path jar = repo.resolve(e.getKey()).resolve("target").resolve(e.getKey() + "-" + VERSION + ".jar");
                    if (!Files.isRegularFile(jar)) {
                        throw new IllegalStateException(jar + " missing: run `mvn -B -q -pl bench -am package -DskipTests` first");
                    }
                    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
                    command.addAll(jvm.flags().getOrDefault(e.getKey(), List.of()));
                    if (NATIVE_MEMORY_TRACKING) {
                        command.add("-XX:NativeMemoryTracking=summary");
                    }
                    command.addAll(List.of("-jar", jar.toString()));
                    ProcessBuilder pb = new ProcessBuilder(command);
                    pb.environment().putAll(e.getValue());
                    // the options the container gives the JVM; -Xmx256m on the command line takes the heap share's place
                    pb.environment().put("JDK_JAVA_OPTIONS", options.get(e.getKey()));
                    // as the images set it (deploy/docker/Dockerfile)
                    pb.environment().put("MALLOC_ARENA_MAX", "2");
                    pb.redirectErrorStream(true).redirectOutput(logs.resolve(e.getKey() + ".log").toFile());
                    processes.put(e.getKey(), pb.start());
                    peak.put(e.getKey(), 0L);
                }
                String group = id + "-transformer";
                String input = Topics.CUSTOMERS.name(prefix);
                long start = System.nanoTime();
                // the loads run until the transformer has taken every row and the notifier has sent for 30 s
                Services.await(Duration.ofMinutes(6), Duration.ofSeconds(1), () -> {
                    for (var p : processes.entrySet()) {
                        if (!p.getValue().isAlive()) {
                            throw new IllegalStateException(p.getKey() + " exited with " + p.getValue().exitValue() + "; see " + logs);
                        }
                        peak.merge(p.getKey(), vmHwmKiB(p.getValue().pid()), Math::max);
                    }
                    return kafka.committed(group, input) >= rows && dingTalk.stats().sendCalls() > 600
                            && System.nanoTime() - start > Duration.ofSeconds(30).toNanos();
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Result> results = new ArrayList<>();
                for (var e : peak.entrySet()) {
                    double mib = e.getValue() / 1024.0;
                    results.add(new Result("B6" + jvm.suffix() + "-" + e.getKey(),
                            ("peak RSS (VmHWM), " + e.getKey() + " in its own JVM, -Xmx256m "
                                    + String.join(" ", jvm.flags().getOrDefault(e.getKey(), List.of()))).trim(), mib, "MiB", 400,
                            mib / 400, "<= 400 MB", mib <= 400, String.format(
                                    "%s; runnable jar + target/lib, MALLOC_ARENA_MAX=2, JDK_JAVA_OPTIONS as the container sets it (%s) "
                                            + "with -Xmx256m in place of its heap share; loads together for %.0f s: snapshot of %d customer rows, "
                                            + "B1 backlog of %d rows, %d DingTalk calls at 20/s; transformer input committed %d of %d",
                                    jvm.note(), options.get(e.getKey()), seconds, kingdee.table().size(), 4L * backlog, dingTalk.stats().sendCalls(),
                                    kafka.committed(group, input), rows)));
                }
                return results;
            } finally {
                if (NATIVE_MEMORY_TRACKING) {
                    for (var p : processes.entrySet()) {
                        nativeMemory(p.getValue(), logs.resolve(p.getKey() + "-nmt.txt"));
                    }
                    System.out.println("B6: native memory summaries in " + logs);
                }
                for (Process p : processes.values()) {
                    p.destroy();
                }
                for (Process p : processes.values()) {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Writes {@code jcmd <pid> VM.native_memory summary} of a live process to {@code file}; best effort. */
    private static void nativeMemory(Process process, Path file) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "VM.native_memory", "summary")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("B6: no native memory summary for " + process.pid() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Peak resident set size of a process, from {@code /proc/<pid>/status}. */
    static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
