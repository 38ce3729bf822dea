package io.kdpipe.transformer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.common.runtime.ServiceMain;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.common.trail.TrailReader;
import io.kdpipe.common.trail.TrailSettings;
import io.kdpipe.transformer.metrics.TransformerMetrics;
import io.kdpipe.transformer.state.RocksDbMemory;
import io.kdpipe.transformer.trail.TrailAccess;
import io.kdpipe.transformer.trail.TrailEndpoint;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transformer's composition root: reads the config, creates the topics it needs, builds the
 * topology and runs it under {@link ServiceRuntime}. Ready while Kafka Streams is RUNNING; once
 * Streams has failed, not live and the runtime closes, so the process exits 1 and Kubernetes
 * restarts it. {@code main} has the shape of every service's: a configuration with problems exits 2
 * listing them all; the runtime is built, the service started on it, then the runtime's HTTP endpoint.
 */
public final class TransformerMain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransformerMain.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TRAIL_READ_TIMEOUT = Duration.ofSeconds(30);

    private final TransformerConfig config;
    private final ServiceRuntime runtime;
    private final HealthState live = new HealthState(Health.Status.ok());
    private volatile boolean failed;
    private KafkaStreams streams;

    TransformerMain(TransformerConfig config, ServiceRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("transformer", TransformerConfig::read, config -> config.kafka().httpPort(),
                (config, runtime) -> start(config, runtime)::failed);
    }

    /**
     * Builds and starts the transformer on {@code runtime} (topics, Streams, the trail route); the
     * caller starts the runtime's HTTP endpoint. Closing the returned instance or the runtime stops
     * everything in reverse order.
     */
    public static TransformerMain start(TransformerConfig config, ServiceRuntime runtime) {
        return new TransformerMain(config, runtime).start();
    }

    /**
     * Builds and starts the transformer with its own runtime and HTTP endpoint; closing the returned
     * runtime stops everything in reverse order. For hosts that run it in process, such as
     * {@code kdpipe local}.
     */
    public static ServiceRuntime start(TransformerConfig config) {
        return ServiceMain.startInProcess("transformer", config.kafka().httpPort(), runtime -> start(config, runtime));
    }

    /** Creates missing topics, starts Streams and registers the trail route. */
    TransformerMain start() {
        log.info("Starting transformer with {}", config.kafka());
        ensureTopics();
        TransformerMetrics metrics = new TransformerMetrics(runtime.registry());
        Topology topology = TransformerTopology.build(config, metrics);
        log.info("Topology:\n{}", topology.describe());
        // registered before Streams, so it is closed after every store is
        RocksDbMemory rocksDb = runtime.manage("rocksdb-memory", new RocksDbMemory(config.rocksDbMemoryMb() * 1024L * 1024L));
        streams = new KafkaStreams(topology, rocksDb.configure(TransformerTopology.streamsProperties(config, metrics)));
        streams.setUncaughtExceptionHandler(this::onUncaught);
        streams.setStateListener((next, previous) -> onState(next));
        runtime.health().liveness("streams", live);
        runtime.health().readiness("streams", () -> streams.state() == KafkaStreams.State.RUNNING
                ? Health.Status.ok()
                : Health.Status.down("Kafka Streams is " + streams.state()));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(runtime.registry());
        runtime.manage("kafka-streams-metrics", streamsMetrics);
        // leave the group on shutdown, so a replacement gets the partitions at once instead of after
        // the session timeout (45 s); a crashed instance is still noticed by the timeout
        runtime.manage("kafka-streams", () -> streams.close(
                CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT)));
        TrailReader trailReader = new TrailReader(config.kafka().clientProperties(), config.kafka().topicPrefix(),
                config.applicationId(), TRAIL_READ_TIMEOUT);
        runtime.route("/trail", new TrailAccess(config.trailToken(),
                new TrailEndpoint(trailReader::read, TrailSettings.DEFAULTS, config.zone(), Clock.systemUTC(), this::ownsCustomer)));
        streams.start();
        return this;
    }

    /**
     * A stream thread died of an error the processing handlers did not take (a bug, a failed
     * punctuation, a broker refusing a transaction for good). Replacing the thread would retry the
     * same record in a loop; instead the client stops, liveness fails and the process exits, so the
     * restart is visible and backs off.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onUncaught(Throwable error) {
        log.error("Stream thread failed; shutting the transformer down", error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private void onState(KafkaStreams.State next) {
        log.info("Kafka Streams is {}", next);
        if (next == KafkaStreams.State.ERROR) {
            failed = true;
            live.down("Kafka Streams failed");
            // closing from a stream thread would wait for itself
            Thread stopper = new Thread(runtime::close, "transformer-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    private void ensureTopics() {
        Map<String, Object> admin = config.kafka().clientProperties();
        try (Admin client = Admin.create(admin)) {
            new TopicInitializer(client, config.kafka().topicPrefix(), config.kafka().replicationFactor())
                    .ensure(List.of(Topics.CUSTOMERS, Topics.DIRECTORY, Topics.NOTICES, Topics.ROWS_DLT, Topics.TRAIL));
        }
    }

    /** Whether this instance holds the active task reading the customer's partition of the row topic. */
    private boolean ownsCustomer(String customerKey) {
        // the producers' default partitioner: murmur2 of the serialized key over the declared partition count
        int partition = Utils.toPositive(Utils.murmur2(customerKey.getBytes(StandardCharsets.UTF_8))) % Topics.CUSTOMERS.partitions();
        TopicPartition tp = new TopicPartition(config.topic(Topics.CUSTOMERS), partition);
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .anyMatch(task -> task.topicPartitions().contains(tp));
    }

    boolean failed() {
        return failed;
    }

    KafkaStreams streams() {
        return streams;
    }

    ServiceRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
