package io.kdpipe.testkit;

import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives integration tests a real Kafka broker: one per test JVM, started on first use and stopped
 * when the JVM's tests are done. Declare a {@link KafkaBroker} parameter (constructor, lifecycle
 * method or test method) to receive it.
 *
 * <p>By default the broker is an {@link EmbeddedKafkaBroker}. With
 * {@code -Dkdpipe.test.broker=container} it is a Testcontainers {@code KafkaContainer} on the image
 * named by {@code kdpipe.test.kafka.image}; where Docker is missing those tests are skipped.
 */
public final class KafkaBrokerExtension implements ParameterResolver, ExecutionCondition {

    public static final String MODE_PROPERTY = "kdpipe.test.broker";
    public static final String IMAGE_PROPERTY = "kdpipe.test.kafka.image";
    private static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!containerMode()) {
            return ConditionEvaluationResult.enabled("embedded broker");
        }
        boolean docker = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("docker", k -> DockerClientFactory.instance().isDockerAvailable(), Boolean.class);
        return docker
                ? ConditionEvaluationResult.enabled("Docker is available")
                : ConditionEvaluationResult.disabled("kdpipe.test.broker=container but no Docker engine is reachable");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("broker", k -> start(), RunningBroker.class);
    }

    private static boolean containerMode() {
        return "container".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "embedded"));
    }

    private static RunningBroker start() {
        if (containerMode()) {
            KafkaContainer container = new KafkaContainer(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
            container.start();
            return new RunningBroker(container.getBootstrapServers(), container::stop);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
        return new RunningBroker(broker.bootstrapServers(), broker::close);
    }

    /** Closed by JUnit when the root context closes, at the end of the test JVM's run. */
    private record RunningBroker(String bootstrapServers, Runnable stopper) implements KafkaBroker, AutoCloseable {
        @Override
        public void close() {
            stopper.run();
        }
    }
}
