package io.kdpipe.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerJvmTest {

    @TempDir
    Path repo;

    private void write(String path, String text) throws Exception {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void theManifestsOptionsWinOverTheImages() throws Exception {
        write("deploy/docker/Dockerfile", "ENV JDK_JAVA_OPTIONS=\"-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError\" \\\n    MALLOC_ARENA_MAX=2\n");
        write("deploy/k8s/base/transformer.yaml", """
                          env:
                            - name: JDK_JAVA_OPTIONS
                              value: "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
                """);
        write("deploy/k8s/base/notifier.yaml", "          env: []\n");

        assertThat(ContainerJvm.options(repo, "transformer")).isEqualTo("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError");
        assertThat(ContainerJvm.options(repo, "notifier")).isEqualTo("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void anImageWithoutOptionsIsAnError() throws Exception {
        write("deploy/docker/Dockerfile", "FROM x\n");
        write("deploy/k8s/base/notifier.yaml", "          env: []\n");

        assertThatThrownBy(() -> ContainerJvm.options(repo, "notifier")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sets no JDK_JAVA_OPTIONS");
    }

    @Test
    void everyServiceOfThisRepositoryHasOptions() {
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String service : new String[] {"extractor", "transformer", "notifier"}) {
            assertThat(ContainerJvm.options(root, service)).as(service).contains("-XX:+ExitOnOutOfMemoryError");
        }
    }
}
