package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a service's container gets, read from what the product deploys: the
 * {@code JDK_JAVA_OPTIONS} its Kubernetes manifest ({@code deploy/k8s/base/<service>.yaml}) sets,
 * else the one the image ({@code deploy/docker/Dockerfile}) sets. A benchmark that starts the
 * service's JVM with these options measures the JVM the deployment runs.
 */
public final class ContainerJvm {

    private static final Pattern DOCKERFILE = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"");
    private static final Pattern MANIFEST_VALUE = Pattern.compile("^\\s*value:\\s*\"([^\"]*)\"\\s*$");

    private ContainerJvm() {
    }

    /** {@code JDK_JAVA_OPTIONS} of {@code service}'s container, as the repository at {@code repo} deploys it. */
    public static String options(Path repo, String service) {
        return manifestOptions(repo.resolve("deploy").resolve("k8s").resolve("base").resolve(service + ".yaml"))
                .orElseGet(() -> imageOptions(repo.resolve("deploy").resolve("docker").resolve("Dockerfile")));
    }

    /** The value of a {@code JDK_JAVA_OPTIONS} env entry in a manifest, if it sets one. */
    static Optional<String> manifestOptions(Path manifest) {
        List<String> lines = read(manifest);
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).strip().equals("- name: JDK_JAVA_OPTIONS")) {
                Matcher m = MANIFEST_VALUE.matcher(lines.get(i + 1));
                if (!m.matches()) {
                    throw new IllegalStateException(manifest + ": JDK_JAVA_OPTIONS without a quoted value on the next line");
                }
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** The {@code JDK_JAVA_OPTIONS} the image's {@code ENV} sets. */
    static String imageOptions(Path dockerfile) {
        Matcher m = DOCKERFILE.matcher(String.join("\n", read(dockerfile)));
        if (!m.find()) {
            throw new IllegalStateException(dockerfile + " sets no JDK_JAVA_OPTIONS");
        }
        return m.group(1);
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
