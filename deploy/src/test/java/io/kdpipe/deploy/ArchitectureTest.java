package io.kdpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.kdpipe.deploy.Architecture.Source;
import org.junit.jupiter.api.Test;

/** The dependency rule of {@code docs/architecture.md}, held on the whole source tree. */
class ArchitectureTest {

    private static final List<Source> TREE = Architecture.scan(DeployFiles.REPO);

    @Test
    void theScanSeesEveryModule() {
        assertThat(TREE).extracting(Source::module).contains(
                "common", "extractor", "transformer", "notifier", "sandbox", "cli", "bench", "reliability", "deploy", "testkit");
        assertThat(TREE).filteredOn(s -> s.path().endsWith("cli/local/LocalRun.java")).singleElement()
                .satisfies(s -> assertThat(s.uses()).contains("io.kdpipe.transformer", "io.kdpipe.notifier", "io.kdpipe.sandbox.kingdee"));
    }

    @Test
    void servicesUseCommonOnly() {
        assertThat(Architecture.forbiddenUses(TREE)).isEmpty();
    }

    @Test
    void noPackageLoopWithinAModule() {
        assertThat(Architecture.packageLoops(TREE)).isEmpty();
    }

    @Test
    void aForbiddenUseIsFound() {
        List<Source> tree = List.of(
                source("extractor/src/main/java/io/kdpipe/extractor/A.java",
                        "import io.kdpipe.common.topic.Topics;",
                        "import io.kdpipe.notifier.NotifierMain;"),
                source("transformer/src/main/java/io/kdpipe/transformer/B.java",
                        "import static io.kdpipe.cli.Kdpipe.main;",
                        "import io.kdpipe.bench.report.*;",
                        "",
                        "class B {",
                        "    // io.kdpipe.extractor.Extractor in a comment is no use",
                        "    String s = \"io.kdpipe.notifier.Notifier\";",
                        "    Object o = new io.kdpipe.sandbox.kingdee.KingdeeSandboxOptions(null);",
                        "}"),
                source("notifier/src/test/java/io/kdpipe/notifier/C.java",
                        "import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;",
                        "import io.kdpipe.testkit.KafkaBroker;",
                        "import io.kdpipe.transformer.TransformerMain;"),
                source("common/src/main/java/io/kdpipe/common/D.java",
                        "import io.kdpipe.testkit.KafkaBroker;"),
                source("cli/src/main/java/io/kdpipe/cli/E.java",
                        "import io.kdpipe.notifier.NotifierMain;",
                        "import io.kdpipe.transformer.TransformerMain;"),
                source("sandbox/src/main/java/io/kdpipe/sandbox/F.java",
                        "import io.kdpipe.common.contract.Json;",
                        "import io.kdpipe.extractor.ExtractorConfig;"));

        assertThat(Architecture.forbiddenUses(tree)).containsExactly(
                "extractor/src/main/java/io/kdpipe/extractor/A.java: uses io.kdpipe.notifier",
                "transformer/src/main/java/io/kdpipe/transformer/B.java: uses io.kdpipe.bench.report",
                "transformer/src/main/java/io/kdpipe/transformer/B.java: uses io.kdpipe.cli",
                "transformer/src/main/java/io/kdpipe/transformer/B.java: uses io.kdpipe.sandbox.kingdee",
                "notifier/src/test/java/io/kdpipe/notifier/C.java: uses io.kdpipe.transformer",
                "common/src/main/java/io/kdpipe/common/D.java: uses io.kdpipe.testkit",
                "sandbox/src/main/java/io/kdpipe/sandbox/F.java: uses io.kdpipe.extractor");
    }

    @Test
    void aPackageLoopIsFoundAndOnlyTheKnownOnePasses() {
        List<Source> tree = List.of(
                source("notifier/src/main/java/io/kdpipe/notifier/send/A.java",
                        "import io.kdpipe.notifier.rate.MonthlyBudget;"),
                source("notifier/src/main/java/io/kdpipe/notifier/rate/B.java",
                        "import io.kdpipe.notifier.metrics.NotifierMetrics;"),
                source("notifier/src/main/java/io/kdpipe/notifier/metrics/C.java",
                        "class C {",
                        "    io.kdpipe.notifier.send.Delivery d;",
                        "}"),
                source("notifier/src/test/java/io/kdpipe/notifier/rate/T.java",
                        "import io.kdpipe.notifier.dingtalk.Verdict;"),
                source("notifier/src/main/java/io/kdpipe/notifier/dingtalk/D.java",
                        "import io.kdpipe.notifier.rate.SharedRateLimiter;"),
                source("transformer/src/main/java/io/kdpipe/transformer/change/E.java",
                        "import io.kdpipe.transformer.serde.Binary;"),
                source("transformer/src/main/java/io/kdpipe/transformer/serde/F.java",
                        "import io.kdpipe.transformer.change.CustomerState;"));

        assertThat(Architecture.packageLoops(tree)).containsExactly(
                "notifier: io.kdpipe.notifier.metrics, io.kdpipe.notifier.rate, io.kdpipe.notifier.send",
                "transformer: io.kdpipe.transformer.change, io.kdpipe.transformer.serde");
    }

    /** A file at {@code path} (its module, test or main, and package follow from it) with these lines after its package line. */
    private static Source source(String path, String... lines) {
        String pkg = path.substring(path.indexOf("/java/") + 6, path.lastIndexOf('/')).replace('/', '.');
        return Source.parse(path, path.substring(0, path.indexOf('/')), path.contains("/src/test/"),
                "package " + pkg + ";\n\n" + String.join("\n", lines) + "\n");
    }
}
