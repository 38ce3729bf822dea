package io.kdpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the deploy files live: the module directory is {@code deploy/}, the working directory of its tests. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final Path REPO = DEPLOY.getParent();
    static final Path K8S = DEPLOY.resolve("k8s");
    static final Path PROMETHEUS = DEPLOY.resolve("prometheus");
    static final Path GRAFANA = DEPLOY.resolve("grafana");
    static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    static final List<String> OVERLAYS = List.of("dev", "prod");
    static final List<String> SERVICES = List.of("extractor", "transformer", "notifier");

    private DeployFiles() {
    }

    /** Prometheus rule files ({@code *.rules.yml}), without their unit tests. */
    static List<Path> ruleFiles() {
        return list(PROMETHEUS, ".rules.yml");
    }

    /** Unit tests of the rules ({@code *.rules.test.yml}). */
    static List<Path> ruleTests() {
        return list(PROMETHEUS, ".rules.test.yml");
    }

    /** Grafana dashboards ({@code *.json}). */
    static List<Path> dashboards() {
        return list(GRAFANA, ".json");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
