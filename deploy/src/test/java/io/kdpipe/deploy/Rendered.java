package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** One overlay rendered by {@code kubectl kustomize}, as parsed documents. */
final class Rendered {

    final String overlay;
    final List<JsonNode> documents;

    private Rendered(String overlay, List<JsonNode> documents) {
        this.overlay = overlay;
        this.documents = documents;
    }

    /**
     * Renders {@code deploy/k8s/overlays/<overlay>}; a kustomization that does not render fails.
     * Without kubectl the calling test fails under {@code CI=true} (.ci/run installs kubectl), and is
     * skipped with a message saying so elsewhere.
     */
    static Rendered overlay(String overlay) {
        requireKubectl(System.getenv());
        String yaml = Tool.run(DeployFiles.K8S.resolve("overlays").resolve(overlay).toFile(), "kubectl", "kustomize", ".");
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(overlay, docs);
    }

    /** Fails (CI) or skips (elsewhere) when {@code env}'s PATH holds no kubectl. */
    static void requireKubectl(Map<String, String> env) {
        if (Tool.available("kubectl", env.getOrDefault("PATH", ""))) {
            return;
        }
        String message = "kubectl is not on the PATH: the Kubernetes manifests were NOT checked"
                + " (install it: Debian/Ubuntu package kubectl from pkgs.k8s.io, see .ci/run)";
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
            throw new AssertionError(message);
        }
        assumeTrue(false, message);
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    JsonNode one(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    /** A ConfigMap's data, by the name a Deployment refers to (kustomize's hashed name). */
    Map<String, String> configMap(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        one("ConfigMap", name).path("data").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Runs command-line tools for the tests. */
    static final class Tool {

        private Tool() {
        }

        static boolean available(String tool) {
            return available(tool, System.getenv().getOrDefault("PATH", ""));
        }

        static boolean available(String tool, String path) {
            for (String dir : path.split(File.pathSeparator)) {
                if (new File(dir, tool).canExecute()) {
                    return true;
                }
            }
            return false;
        }

        /** Runs the command in {@code dir}; fails the test with its output unless it exits 0. */
        static String run(File dir, String... command) {
            Result r = exec(dir, Map.of(), command);
            assertThat(r.exit).as("%s exited with %s:%n%s", String.join(" ", command), r.exit, r.output).isZero();
            return r.output;
        }

        record Result(int exit, String output) {
        }

        static Result exec(File dir, Map<String, String> env, String... command) {
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir).redirectErrorStream(true);
                if (!env.isEmpty()) {
                    pb.environment().clear();
                    pb.environment().putAll(env);
                }
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
