package io.kdpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependency rule, checked on the source tree: a service ({@code extractor}, {@code transformer},
 * {@code notifier}) uses {@code common} only, never another service, {@code cli}, {@code sandbox} or
 * {@code bench} (its tests may use the sandboxes and the testkit, not another service, {@code cli} or
 * {@code bench}); {@code common} uses no other module (its tests the testkit); {@code sandbox} and
 * {@code testkit} use no service, {@code cli}, {@code bench} or {@code reliability}, so only
 * {@code cli}, {@code bench}, {@code reliability} and the {@code deploy} tests use services; and within a module's main code no two packages
 * use each other, directly or through others.
 *
 * <p>What a file uses is read from its imports (static and wildcard ones too) and from qualified
 * {@code io.kdpipe.…} names in its code (comments and string literals left out).
 */
final class Architecture {

    static final Set<String> SERVICES = Set.of("extractor", "transformer", "notifier");
    static final Set<String> FORBIDDEN_FOR_SERVICES = Set.of("extractor", "transformer", "notifier", "cli", "sandbox", "bench");
    static final Set<String> ALLOWED_IN_SERVICE_TESTS = Set.of("sandbox", "testkit");
    /** Modules the services' tests use: they use no service, {@code cli}, {@code bench} or {@code reliability}. */
    static final Set<String> SUPPORT = Set.of("sandbox", "testkit");
    static final Set<String> FORBIDDEN_FOR_SUPPORT = Set.of("extractor", "transformer", "notifier", "cli", "bench", "reliability");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])io\\.kdpipe\\.[a-z_][\\w.]*");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'", Pattern.DOTALL);

    /**
     * One Java source file.
     *
     * @param module  the Maven module it belongs to, e.g. {@code transformer}
     * @param test    whether it is test code
     * @param pkg     its package
     * @param uses    the {@code io.kdpipe} packages it uses, other than its own
     */
    record Source(String path, String module, boolean test, String pkg, Set<String> uses) {

        /** Reads a file's text: its package, and the kdpipe packages its imports and qualified names point into. */
        static Source parse(String path, String module, boolean test, String text) {
            Matcher p = PACKAGE.matcher(text);
            String pkg = p.find() ? p.group(1) : "";
            SortedSet<String> uses = new TreeSet<>();
            Matcher imports = IMPORT.matcher(text);
            while (imports.find()) {
                packageOf(imports.group(1)).ifPresent(uses::add);
            }
            String code = IMPORT.matcher(PACKAGE.matcher(COMMENTS_AND_STRINGS.matcher(text).replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
            Matcher qualified = QUALIFIED.matcher(code);
            while (qualified.find()) {
                packageOf(qualified.group()).ifPresent(uses::add);
            }
            uses.remove(pkg);
            return new Source(path, module, test, pkg, Collections.unmodifiableSortedSet(uses));
        }
    }

    private Architecture() {
    }

    /** Every {@code *.java} file under {@code <module>/src/main/java} and {@code <module>/src/test/java} of the repository. */
    static List<Source> scan(Path repo) {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                for (String kind : List.of("main", "test")) {
                    Path root = module.resolve("src").resolve(kind).resolve("java");
                    if (!Files.isDirectory(root)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path f : files.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
                            out.add(Source.parse(repo.relativize(f).toString(), module.getFileName().toString(), kind.equals("test"),
                                    Files.readString(f)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every use of a module the dependency rule forbids, as {@code path: uses package}. */
    static List<String> forbiddenUses(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            for (String used : s.uses()) {
                String target = moduleOf(used);
                if (target == null || target.equals(s.module())) {
                    continue;
                }
                boolean forbidden;
                if (SERVICES.contains(s.module())) {
                    forbidden = FORBIDDEN_FOR_SERVICES.contains(target) && !(s.test() && ALLOWED_IN_SERVICE_TESTS.contains(target));
                } else if (s.module().equals("common")) {
                    forbidden = !(s.test() && target.equals("testkit"));
                } else if (SUPPORT.contains(s.module())) {
                    forbidden = FORBIDDEN_FOR_SUPPORT.contains(target);
                } else {
                    forbidden = false;
                }
                if (forbidden) {
                    out.add(s.path() + ": uses " + used);
                }
            }
        }
        return out;
    }

    /**
     * The package loops of each module's main code: every set of two or more packages that reach each
     * other through their uses, as {@code module: a, b, …} with the packages sorted.
     */
    static Set<String> packageLoops(List<Source> sources) {
        Map<String, Map<String, Set<String>>> graphs = new TreeMap<>();
        for (Source s : sources) {
            if (s.test()) {
                continue;
            }
            Map<String, Set<String>> graph = graphs.computeIfAbsent(s.module(), m -> new TreeMap<>());
            Set<String> edges = graph.computeIfAbsent(s.pkg(), p -> new TreeSet<>());
            for (String used : s.uses()) {
                if (s.module().equals(moduleOf(used))) {
                    edges.add(used);
                    graph.computeIfAbsent(used, p -> new TreeSet<>());
                }
            }
        }
        Set<String> loops = new TreeSet<>();
        graphs.forEach((module, graph) -> {
            for (Set<String> component : stronglyConnected(graph)) {
                if (component.size() > 1) {
                    loops.add(module + ": " + String.join(", ", component));
                }
            }
        });
        return loops;
    }

    /** {@code io.kdpipe.<module>.…} → {@code <module>}; null outside kdpipe. */
    static String moduleOf(String pkg) {
        String[] parts = pkg.split("\\.");
        return parts.length >= 3 && parts[0].equals("io") && parts[1].equals("kdpipe") ? parts[2] : null;
    }

    /** The package of a kdpipe name: the segments before the first one that starts with a capital letter. */
    private static Optional<String> packageOf(String name) {
        if (!name.startsWith("io.kdpipe.")) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        for (String part : name.split("\\.")) {
            if (part.isEmpty() || Character.isUpperCase(part.charAt(0))) {
                break;
            }
            segments.add(part);
        }
        return segments.size() >= 3 ? Optional.of(String.join(".", segments)) : Optional.empty();
    }

    /** Tarjan's strongly connected components, each as a sorted set. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
