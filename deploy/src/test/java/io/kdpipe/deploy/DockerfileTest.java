package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The image definitions can't be built here (no container engine), so their structure is checked:
 * each service has a target, runs as a non-root user, exposes the HTTP port, sizes the heap from
 * the container's limit, and copies paths that {@code mvn package} really produces; and each
 * packaged jar starts (and refuses an empty configuration the way the service does).
 */
class DockerfileTest {

    static final List<String> SERVICES = DeployFiles.SERVICES;
    private static final Map<String, String> MAINS = Map.of(
            "extractor", "io.kdpipe.extractor.ExtractorMain",
            "transformer", "io.kdpipe.transformer.TransformerMain",
            "notifier", "io.kdpipe.notifier.NotifierMain");

    /** Stage name to its instructions, the FROM line first. */
    private static Map<String, List<String>> stages() throws IOException {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        List<String> current = null;
        String joined = String.join("\n", Files.readAllLines(DeployFiles.DOCKERFILE)).replaceAll("\\\\\n", " ");
        for (String raw : joined.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("FROM ")) {
                String[] parts = line.split("\\s+");
                String name = parts.length >= 4 && parts[2].equalsIgnoreCase("AS") ? parts[3] : "stage" + stages.size();
                current = new ArrayList<>();
                stages.put(name, current);
            }
            if (current != null) {
                current.add(line);
            }
        }
        return stages;
    }

    /** The instructions in effect for a target: its parent stages' first. */
    private static List<String> effective(Map<String, List<String>> stages, String target) {
        List<String> own = stages.get(target);
        assertThat(own).as("Dockerfile target %s", target).isNotNull();
        String parent = own.get(0).split("\\s+")[1];
        List<String> out = new ArrayList<>();
        if (stages.containsKey(parent)) {
            out.addAll(effective(stages, parent));
        }
        out.addAll(own);
        return out;
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void imageRunsAsNonRootAndExposesTheHttpPort(String service) throws IOException {
        List<String> lines = effective(stages(), service);
        List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("%s sets a USER", service).isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).trim().split(":")[0];
        assertThat(user).as("%s's user is numeric and not root", service).matches("[0-9]+").isNotEqualTo("0");
        assertThat(lines).as("%s exposes 8080", service).anyMatch(l -> l.matches("EXPOSE\\s+8080(/tcp)?"));
        assertThat(lines).as("%s sizes the heap from the container limit", service)
                .anyMatch(l -> l.startsWith("ENV ") && l.contains("-XX:MaxRAMPercentage="));
        assertThat(lines.get(0)).as("the base image is a JRE").containsPattern("FROM \\S+");
        assertThat(String.join("\n", Files.readAllLines(DeployFiles.DOCKERFILE))).contains("eclipse-temurin:17-jre");
        assertThat(lines).as("%s starts its jar", service)
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/" + service + ".jar\"]");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void imageCarriesTheOciAnnotations(String service) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        Pattern pair = Pattern.compile("(org\\.opencontainers\\.image\\.[a-z.]+)=\"([^\"]*)\"");
        for (String line : effective(stages(), service)) {
            if (line.startsWith("LABEL ")) {
                Matcher m = pair.matcher(line);
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
        }
        assertThat(labels).as("%s image labels", service)
                .containsEntry("org.opencontainers.image.title", "kdpipe-" + service)
                .containsKeys("org.opencontainers.image.description", "org.opencontainers.image.source",
                        "org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.created",
                        "org.opencontainers.image.vendor", "org.opencontainers.image.base.name");
        assertThat(labels.get("org.opencontainers.image.description")).contains(service);
        assertThat(labels.get("org.opencontainers.image.source")).startsWith("https://");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void copiedPathsExistAfterPackageAndTheJarStarts(String service) throws Exception {
        List<String> copies = stages().get(service).stream().filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).as("%s copies its jar and its lib directory", service).hasSize(2);
        Path jar = null;
        for (String copy : copies) {
            String source = copy.split("\\s+")[1];
            List<Path> found = glob(source);
            assertThat(found).as("%s: COPY source %s exists after `mvn package` (build the services first)", service, source)
                    .hasSize(1);
            if (source.endsWith(".jar")) {
                jar = found.get(0);
            }
        }
        assertThat(jar).as("%s copies a jar", service).isNotNull();
        try (JarFile file = new JarFile(jar.toFile())) {
            var attributes = file.getManifest().getMainAttributes();
            assertThat(attributes.getValue("Main-Class")).isEqualTo(MAINS.get(service));
            for (String entry : attributes.getValue("Class-Path").split(" ")) {
                assertThat(jar.getParent().resolve(entry)).as("%s Class-Path entry", service).exists();
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Rendered.Tool.Result run = Rendered.Tool.exec(DeployFiles.DEPLOY.toFile(), Map.of("LANG", "C.UTF-8"), java, "-jar", jar.toString());
        assertThat(run.exit()).as("%s with no configuration exits 2:%n%s", service, run.output()).isEqualTo(2);
        assertThat(run.output()).contains("KAFKA_BOOTSTRAP_SERVERS: is required");
    }

    @Test
    void dockerIgnoreLetsThroughWhatTheImagesCopy() throws IOException {
        String ignore = Files.readString(DeployFiles.REPO.resolve(".dockerignore"));
        for (String service : SERVICES) {
            for (String copy : stages().get(service).stream().filter(l -> l.startsWith("COPY ")).toList()) {
                assertThat(ignore).contains("!" + copy.split("\\s+")[1]);
            }
        }
    }

    private static List<Path> glob(String source) throws IOException {
        Path pattern = Path.of(source);
        Path dir = DeployFiles.REPO.resolve(pattern.getParent());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        if (source.endsWith("/")) {
            Path lib = DeployFiles.REPO.resolve(source);
            return Files.isDirectory(lib) ? List.of(lib) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> matcher.matches(p.getFileName())).toList();
        }
    }
}
