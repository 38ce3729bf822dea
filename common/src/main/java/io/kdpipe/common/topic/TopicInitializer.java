package io.kdpipe.common.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the declared topics that are missing and reports existing ones whose settings differ
 * from the declaration. It never alters an existing topic: that is an operator's decision.
 */
public final class TopicInitializer {

    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;
    private final String prefix;
    private final short replicationFactor;

    /**
     * @param replicationFactor replicas for created topics; {@code -1} takes the broker's default
     */
    public TopicInitializer(Admin admin, String prefix, short replicationFactor) {
        this.admin = admin;
        this.prefix = prefix;
        this.replicationFactor = replicationFactor;
    }

    /** One setting of an existing topic that differs from its declaration. */
    public record Mismatch(String topic, String setting, String declared, String actual) {
        @Override
        public String toString() {
            return topic + ": " + setting + " is " + actual + ", declared " + declared;
        }
    }

    /** What {@link #ensure} did. */
    public record Report(List<String> created, List<Mismatch> mismatches) {
    }

    public Report ensure(Collection<Topic<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                String name = topic.name(prefix);
                if (!existing.contains(name) && create(topic, name)) {
                    created.add(name);
                }
            }
            List<Mismatch> mismatches = checkWhenVisible(topics);
            if (!created.isEmpty()) {
                log.info("Created topics {}", created);
            }
            mismatches.forEach(m -> log.warn("Topic settings differ from the declaration: {}", m));
            return new Report(List.copyOf(created), mismatches);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create or check topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    private boolean create(Topic<?, ?> topic, String name) throws InterruptedException, TimeoutException, ExecutionException {
        NewTopic newTopic = new NewTopic(name, Optional.of(topic.partitions()),
                replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
                .configs(topic.config());
        try {
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another replica created it first
            }
            throw e;
        }
    }

    /** New topics take a moment to reach every part of the broker's metadata. */
    private List<Mismatch> checkWhenVisible(Collection<Topic<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return check(topics);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** Compares partition counts and every declared setting with what the broker has. */
    public List<Mismatch> check(Collection<Topic<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Topic<?, ?>> byName = topics.stream().collect(Collectors.toMap(t -> t.name(prefix), t -> t));
        Map<String, TopicDescription> descriptions = admin.describeTopics(byName.keySet()).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<ConfigResource> resources = byName.keySet().stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<Mismatch> mismatches = new ArrayList<>();
        for (Map.Entry<String, Topic<?, ?>> e : byName.entrySet()) {
            String name = e.getKey();
            Topic<?, ?> topic = e.getValue();
            int actualPartitions = descriptions.get(name).partitions().size();
            if (actualPartitions != topic.partitions()) {
                mismatches.add(new Mismatch(name, "partitions", String.valueOf(topic.partitions()), String.valueOf(actualPartitions)));
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            topic.config().forEach((key, declared) -> {
                var entry = config.get(key);
                String actual = entry == null ? null : entry.value();
                if (!declared.equals(actual)) {
                    mismatches.add(new Mismatch(name, key, declared, actual));
                }
            });
        }
        mismatches.sort((a, b) -> (a.topic() + a.setting()).compareTo(b.topic() + b.setting()));
        return List.copyOf(mismatches);
    }
}
