package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A manifest that sets {@code JDK_JAVA_OPTIONS} replaces the image's options whole, so it must repeat
 * every one of them; only the heap share may differ.
 */
class JvmOptionsTest {

    private static final Pattern IMAGE = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"");
    private static final Pattern MANIFEST = Pattern.compile("- name: JDK_JAVA_OPTIONS\\s*\\n\\s*value: \"([^\"]*)\"");

    private static List<String> withoutHeapShare(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(o -> !o.startsWith("-XX:MaxRAMPercentage=")).toList();
    }

    @Test
    void manifestsRepeatTheImagesJvmOptionsApartFromTheHeapShare() {
        Matcher image = IMAGE.matcher(DeployFiles.read(DeployFiles.DOCKERFILE));
        assertThat(image.find()).as("the image sets JDK_JAVA_OPTIONS").isTrue();
        List<String> expected = withoutHeapShare(image.group(1));
        assertThat(expected).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

        List<String> overriding = new ArrayList<>();
        for (String service : DeployFiles.SERVICES) {
            Matcher m = MANIFEST.matcher(DeployFiles.read(DeployFiles.K8S.resolve("base").resolve(service + ".yaml")));
            if (m.find()) {
                overriding.add(service);
                assertThat(withoutHeapShare(m.group(1))).as("%s's JDK_JAVA_OPTIONS", service).isEqualTo(expected);
                assertThat(m.group(1)).as("%s sets a heap share", service).contains("-XX:MaxRAMPercentage=");
            }
        }
        assertThat(overriding).as("the transformer's Deployment sets its own heap share").contains("transformer");
    }
}
