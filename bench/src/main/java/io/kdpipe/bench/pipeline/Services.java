package io.kdpipe.bench.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.extractor.ExtractorConfig;
import io.kdpipe.extractor.ExtractorMain;
import io.kdpipe.notifier.NotifierConfig;
import io.kdpipe.notifier.NotifierMain;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.kingdee.KingdeeSandbox;
import io.kdpipe.transformer.TransformerConfig;
import io.kdpipe.transformer.TransformerMain;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Builds each service's environment and starts the services in this JVM, as their mains would. */
public final class Services {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Services() {
    }

    public static Map<String, String> kafkaEnv(String bootstrap, String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KDPIPE_TOPIC_PREFIX", prefix);
        env.put("KDPIPE_HTTP_PORT", "0");
        return env;
    }

    public static Map<String, String> extractorEnv(String bootstrap, String prefix, KingdeeSandbox kingdee, String id) {
        Map<String, String> env = kafkaEnv(bootstrap, prefix);
        env.putAll(kingdee.serviceSettings());
        env.put("KDPIPE_EXTRACTOR_GROUP_ID", id + "-extractor");
        env.put("KDPIPE_EXTRACTOR_TRANSACTIONAL_ID_PREFIX", id + "-extractor-tx");
        return env;
    }

    public static Map<String, String> transformerEnv(String bootstrap, String prefix, String id, String stateDir) {
        Map<String, String> env = kafkaEnv(bootstrap, prefix);
        env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", id + "-transformer");
        env.put("KDPIPE_STATE_DIR", stateDir);
        return env;
    }

    public static Map<String, String> notifierEnv(String bootstrap, String prefix, DingTalkSandbox dingTalk, String id) {
        Map<String, String> env = kafkaEnv(bootstrap, prefix);
        env.putAll(dingTalk.serviceSettings());
        env.put("DINGTALK_RATE_PER_SECOND", String.valueOf(dingTalk.options().qps()));
        env.put("NOTIFIER_GROUP_ID", id + "-notifier");
        env.put("NOTIFIER_TRANSACTIONAL_ID", id + "-notifier-tx");
        return env;
    }

    public static ServiceRuntime extractor(Map<String, String> env) {
        return ExtractorMain.start(ExtractorConfig.from(env));
    }

    /** An extractor whose jobs read {@code clock} (a sandbox's fast clock). */
    public static ServiceRuntime extractor(Map<String, String> env, Clock clock) {
        return ExtractorMain.start(ExtractorConfig.from(env), clock);
    }

    public static ServiceRuntime transformer(Map<String, String> env) {
        ServiceRuntime runtime = new ServiceRuntime("transformer", 0);
        try {
            TransformerMain.start(TransformerConfig.read(new ConfigReader(ConfigSource.of(env))), runtime);
            return runtime.start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    public static ServiceRuntime notifier(Map<String, String> env) {
        return NotifierMain.start(NotifierConfig.read(new ConfigReader(ConfigSource.of(env))));
    }

    /** Sum of every sample of a metric family in a service's {@code /metrics}. */
    public static double metric(int port, String name) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every {@code every} until it holds; false when {@code timeout} passed first. */
    public static boolean await(Duration timeout, Duration every, BooleanSupplier condition) {
        try {
            // in this thread: conditions read Kafka consumers and sandboxes the caller owns
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread()
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Throughput of a group over a topic, taken from its committed offsets between first progress and completion. */
    public static double groupRate(Kafka kafka, String group, String topic, long total, Duration timeout) {
        return groupRate(kafka, group, topic, total, timeout, () -> true);
    }

    /**
     * As {@link #groupRate(Kafka, String, String, long, Duration)}, where the input counts as done only
     * once {@code alsoDone} holds as well (a later stage of the same application has caught up).
     */
    public static double groupRate(Kafka kafka, String group, String topic, long total, Duration timeout, BooleanSupplier alsoDone) {
        long[] first = {-1, 0}; // committed offset and time at the first progress seen
        long[] last = {0, 0};
        boolean done = await(timeout, Duration.ofMillis(50), () -> {
            long c = kafka.committed(group, topic);
            long now = System.nanoTime();
            if (first[0] < 0 && c > 0) {
                first[0] = c;
                first[1] = now;
            }
            last[0] = c;
            last[1] = now;
            return c >= total && alsoDone.getAsBoolean();
        });
        if (!done) {
            throw new IllegalStateException("group " + group + " did not finish " + topic + " in " + timeout + " (committed "
                    + kafka.committed(group, topic) + " of " + total + ")");
        }
        if (first[0] >= total) {
            throw new IllegalStateException("completed before progress could be observed; grow the load");
        }
        return (total - first[0]) / ((last[1] - first[1]) / 1e9);
    }
}
