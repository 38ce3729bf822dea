package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own for B1's applications ({@link B1App}), started from this JVM's class path with
 * {@code -Xmx1g} and the options of the system property {@code kdpipe.bench.b1.jvm} (space-separated,
 * e.g. a flight recording). Its output goes to {@code app.log} in its scratch directory. Reports the
 * CPU time it used ({@code /proc/<pid>/stat}), so a timed run can be split into the application's
 * CPU and the broker's.
 */
final class AppJvm implements AutoCloseable {

    /** Linux's clock ticks per second for {@code /proc/<pid>/stat}'s CPU times. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Process process;
    private final OutputStream commands;
    private final Path log;
    private int closed;

    private AppJvm(Process process, Path log) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.log = log;
    }

    /** Starts a JVM that may run the applications {@code apps} (numbered from 0 in this order). */
    static AppJvm start(Path scratch, List<Map<String, String>> apps) {
        return start(scratch, apps, List.of());
    }

    /** As {@link #start(Path, List)}, with {@code jvmOptions} after {@code -Xmx1g}. */
    static AppJvm start(Path scratch, List<Map<String, String>> apps, List<String> jvmOptions) {
        try {
            Properties p = new Properties();
            for (int i = 0; i < apps.size(); i++) {
                B1App.write(p, i, apps.get(i));
            }
            Path file = scratch.resolve("apps.properties");
            B1App.save(p, file);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
            command.addAll(jvmOptions);
            String extra = System.getProperty("kdpipe.bench.b1.jvm", "").strip();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), B1App.class.getName(), file.toString()));
            Path log = scratch.resolve("app.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new AppJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts application {@code n} and returns once it runs. */
    void run(int n) {
        send("start " + n);
        awaitLine(B1App.STARTED + n);
    }

    /** Starts application {@code n} without waiting for it (its {@code started} line is not awaited). */
    void begin(int n) {
        send("start " + n);
    }

    /** Marks this moment in the JVM's log with {@code B1APP note TEXT}, without waiting for it. */
    void note(String text) {
        send("note " + text);
    }

    /** Closes the running application and returns once it is closed. */
    void closeApp() {
        send("close");
        closed++;
        awaitCount(B1App.CLOSED, closed);
    }

    /**
     * Waits (at most a minute) until this JVM, with no application running, has used less than 2 % of a
     * core over a second: by then the JIT has compiled what the last application queued, and none of
     * that lands in the next one's timed window. Returns the seconds waited.
     */
    double awaitQuiet() {
        long t0 = System.nanoTime();
        double[] last = {cpuSeconds()};
        Services.await(Duration.ofMinutes(1), Duration.ofSeconds(1), () -> {
            double now = cpuSeconds();
            boolean quiet = now - last[0] < 0.02;
            last[0] = now;
            return quiet;
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The CPU time (user and system) this JVM has used so far, in seconds. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /**
     * The CPU time each group of the live threads of process {@code pid} has used so far, in seconds:
     * {@code work} (the application's own threads, whose names start with {@code workPrefix}: stream
     * threads, the copy loop), {@code producer I/O}, {@code JIT}, {@code GC}, {@code RocksDB} and {@code other}.
     */
    static Map<String, Double> threadCpuSeconds(long pid, String workPrefix) {
        return ThreadCpu.read(pid, workPrefix).since(ThreadCpu.NONE);
    }

    /** The CPU time of each live thread of this JVM so far, by thread and grouped as {@link #threadCpuSeconds} groups them. */
    ThreadCpu threadCpu(String workPrefix) {
        return ThreadCpu.read(process.pid(), workPrefix);
    }

    /** The CPU seconds each live thread of a process had used when read, by thread id, with its group. */
    record ThreadCpu(Map<String, String> groups, Map<String, Double> seconds) {

        static final ThreadCpu NONE = new ThreadCpu(Map.of(), Map.of());

        static ThreadCpu read(long pid, String workPrefix) {
            Map<String, String> groups = new java.util.HashMap<>();
            Map<String, Double> seconds = new java.util.HashMap<>();
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip();
                        double cpu = cpuSeconds(Files.readString(task.resolve("stat")));
                        String tid = task.getFileName().toString();
                        groups.put(tid, group(name, workPrefix));
                        seconds.put(tid, cpu);
                    } catch (IOException e) {
                        // the thread ended while it was read: its time is gone with it
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ThreadCpu(groups, seconds);
        }

        /**
         * The CPU seconds each group used since {@code before}: the threads live now, less what each had used
         * then (a thread started in between counts in full). A thread that ended in between counts nowhere,
         * so no group's figure goes below zero; what they used is the process's total less the groups' sum.
         */
        Map<String, Double> since(ThreadCpu before) {
            Map<String, Double> out = new java.util.TreeMap<>();
            seconds.forEach((tid, cpu) -> out.merge(groups.get(tid), cpu - before.seconds.getOrDefault(tid, 0.0), Double::sum));
            return out;
        }
    }

    /** The group of a thread, by its name as Linux keeps it (the first 15 characters). */
    static String group(String name, String workPrefix) {
        if (name.startsWith(workPrefix.substring(0, Math.min(15, workPrefix.length()))) || name.equals("b1-copy")) {
            return "work";
        } else if (name.startsWith("kafka-producer")) {
            return "producer I/O";
        } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT";
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "GC";
        } else if (name.startsWith("rocksdb")) {
            return "RocksDB";
        }
        return "other";
    }

    /** The CPU time (user and system) process {@code pid} has used so far, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            return cpuSeconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CPU time (user and system) in a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line. */
    private static double cpuSeconds(String stat) {
        // the fields after the command name, which is in parentheses and may hold spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    private void send(String command) {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the application JVM took no command; see " + log, e);
        }
    }

    /**
     * Waits (at most {@code timeout}) for the {@code n}th line (from 1) that starts with {@code prefix}, and
     * returns the rest of it.
     */
    String awaitLineStartingWith(String prefix, int n, Duration timeout) {
        String[] found = new String[1];
        boolean seen = Services.await(timeout, Duration.ofMillis(20), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application JVM exited with " + process.exitValue() + "; see " + log);
            }
            try {
                found[0] = Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).skip(n - 1L).findFirst()
                        .map(l -> l.substring(prefix.length())).orElse(null);
                return found[0] != null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!seen) {
            throw new IllegalStateException("the application JVM did not print '" + prefix + "…' within " + timeout + "; see " + log);
        }
        return found[0];
    }

    private void awaitLine(String line) {
        awaitCount(line, 1);
    }

    private void awaitCount(String line, int count) {
        boolean seen = Services.await(Duration.ofMinutes(2), Duration.ofMillis(50), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application JVM exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return Files.readAllLines(log).stream().filter(line::equals).count() >= count;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!seen) {
            throw new IllegalStateException("the application JVM did not print '" + line + "' within 2 minutes; see " + log);
        }
    }

    @Override
    public void close() {
        try {
            commands.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
