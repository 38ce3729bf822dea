package io.kdpipe.bench.report;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Facts about the machine and JVM a run happened on, written next to the results. */
public final class Machine {

    private Machine() {
    }

    public static Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        f.put("date", Instant.now().toString());
        f.put("cores", String.valueOf(rt.availableProcessors()));
        f.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        f.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        f.put("maxHeapMiB", String.valueOf(rt.maxMemory() / (1024 * 1024)));
        f.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        f.put("loadAverageAtStart", String.format(Locale.ROOT, "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return f;
    }
}
