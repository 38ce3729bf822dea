package io.kdpipe.notifier;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kdpipe.common.config.KafkaConfig;
import io.kdpipe.common.runtime.Health;
import io.kdpipe.common.runtime.HealthState;
import io.kdpipe.common.runtime.ServiceMain;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.TopicInitializer;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.notifier.dingtalk.DingTalkClient;
import io.kdpipe.notifier.metrics.NotifierMetrics;
import io.kdpipe.notifier.rate.MonthlyBudget;
import io.kdpipe.notifier.rate.SharedRateLimiter;
import io.kdpipe.notifier.send.SendHooks;
import io.kdpipe.notifier.send.SendLoop;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's composition root: builds everything from a {@link NotifierConfig} with {@code new}.
 * Like every service's {@code main}: a configuration with problems exits 2 listing them all; the
 * runtime is built, the service started on it, then the runtime's HTTP endpoint; the process exits 1
 * after the service failed for good (its liveness down, the runtime closed), 0 after a clean stop.
 */
public final class NotifierMain {

    private static final Logger log = LoggerFactory.getLogger(NotifierMain.class);

    private NotifierMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("notifier", NotifierConfig::read, config -> config.kafka().httpPort(), (config, runtime) -> {
            Notifier notifier = start(config, runtime);
            notifier.onFailure(runtime::close);
            return notifier::failed;
        });
    }

    /**
     * Builds and starts the notifier with its own runtime and HTTP endpoint ({@code /metrics},
     * {@code /health/*}); closing the returned runtime stops everything in reverse order. For hosts
     * that run it in process, as the extractor's and transformer's {@code start(config)} do.
     */
    public static ServiceRuntime start(NotifierConfig config) {
        return ServiceMain.startInProcess("notifier", config.kafka().httpPort(), runtime -> start(config, runtime));
    }

    /** Creates the notifier's topics if missing, starts the send loop and registers it with {@code runtime} for shutdown. */
    public static Notifier start(NotifierConfig config, ServiceRuntime runtime) {
        return start(config, runtime, Clock.systemUTC(), SendHooks.NONE);
    }

    static Notifier start(NotifierConfig config, ServiceRuntime runtime, Clock clock, SendHooks hooks) {
        log.info("Starting the notifier: {} agent {} at {}, {} calls/s (x{}), budget {}/month", config.appKey(),
                config.agentId(), config.dingTalkBaseUrl(), config.callsPerSecond(), config.rateHeadroom(), config.monthlyBudget());
        String prefix = config.kafka().topicPrefix();
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            new TopicInitializer(admin, prefix, config.kafka().replicationFactor())
                    .ensure(List.of(Topics.NOTICES, Topics.DELIVERIES, Topics.NOTICES_DLT, Topics.DIRECTORY));
        }

        NotifierMetrics metrics = new NotifierMetrics(runtime.registry());
        MonthlyBudget budget = new MonthlyBudget(config.monthlyBudget(), config.send().quotaZone(), clock);
        metrics.bindBudget(budget);
        SharedRateLimiter limiter = new SharedRateLimiter(config.callsPerSecond(), config.rateHeadroom(),
                Topics.NOTICES.partitions(), metrics::limiterWaited);
        // the contacts API is limited per API of its own, at the same rate as the message APIs
        SharedRateLimiter contactsLimiter = new SharedRateLimiter(config.callsPerSecond(), config.rateHeadroom(),
                Topics.NOTICES.partitions(), metrics::limiterWaited);
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.httpTimeout()).build();
        DingTalkClient dingTalk = new DingTalkClient(config.dingTalkBaseUrl(), config.appKey(), config.appSecret(),
                config.agentId(), http, clock, config.httpTimeout(), config.tokenRefreshAhead(), limiter, contactsLimiter, metrics);

        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config),
                new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> ledgerConsumer = new KafkaConsumer<>(ledgerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaConsumer<byte[], byte[]> directoryConsumer = new KafkaConsumer<>(ledgerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaConsumer<byte[], byte[]> fetcher = new KafkaConsumer<>(ledgerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<KafkaClientMetrics> clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer));
        clientMetrics.forEach(m -> m.bindTo(runtime.registry()));

        HealthState live = new HealthState(Health.Status.ok());
        HealthState budgetHealth = new HealthState(Health.Status.ok());
        HealthState dingTalkHealth = new HealthState(Health.Status.ok());
        runtime.health().liveness("send-loop", live);
        runtime.health().readiness("send-loop", live);
        runtime.health().readiness("dingtalk-budget", budgetHealth);
        runtime.health().readiness("dingtalk", dingTalkHealth);

        SendLoop loop = new SendLoop(new SendLoop.Clients(consumer, producer, ledgerConsumer, directoryConsumer, fetcher),
                dingTalk, dingTalk::check, dingTalk::lookUpUser, List.of(limiter, contactsLimiter), budget,
                metrics, config.send(), clock, new Random(), hooks, live, budgetHealth, dingTalkHealth);
        Notifier notifier = new Notifier(loop, clientMetrics, live, "notifier-send-loop");
        runtime.manage("notifier", notifier);
        return notifier.start();
    }

    static Map<String, Object> consumerProperties(NotifierConfig config) {
        Map<String, Object> p = new HashMap<>(config.kafka().clientProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // notices of aborted transformer transactions must never be sent
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // offsets are committed inside the ledger transaction, never on their own
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new group starts with the oldest notice kept, not after the newest
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // at ~20 sends/s a default poll (500) is half a minute of work held by a paused partition
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        return p;
    }

    static Map<String, Object> producerProperties(NotifierConfig config) {
        // ledger entries, dead letters and offsets commit together or not at all
        return KafkaConfig.transactional(config.kafka().clientProperties(), config.transactionalId());
    }

    static Map<String, Object> ledgerProperties(NotifierConfig config) {
        Map<String, Object> p = new HashMap<>(config.kafka().clientProperties());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // only committed ledger entries (and directory entries, notices) are read
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // the views assign partitions themselves and keep no offsets
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }
}
