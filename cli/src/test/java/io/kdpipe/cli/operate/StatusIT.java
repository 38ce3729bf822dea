package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.common.contract.Checkpoint;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.common.runtime.ServiceRuntime;
import io.kdpipe.common.topic.Topic;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.extractor.metrics.ExtractorMetrics;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import io.kdpipe.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class StatusIT {

    @Test
    void jsonReportsTheLagDeadLettersWatermarksAndBudgetTheTestCreated(KafkaBroker broker) throws Exception {
        try (OperateFixture fx = new OperateFixture(broker)) {
            String group = TestNames.unique("notifier");
            fx.env.put("NOTIFIER_GROUP_ID", group);
            fx.env.put("KDPIPE_TRANSFORMER_APPLICATION_ID", TestNames.unique("transformer"));
            fx.env.put("KDPIPE_EXTRACTOR_GROUP_ID", TestNames.unique("extractor"));
            fx.env.put("DINGTALK_MONTHLY_BUDGET", "100");

            // five notices on one partition; the notifier group has committed the first two: lag 3
            Instant now = Instant.now();
            for (int i = 0; i < 5; i++) {
                Notice n = OperateFixture.notice("n-" + i, "100:1", List.of("user-0001"), "内容 " + i, now);
                fx.send(fx.topic(Topics.NOTICES), "rg-same", Notice.CODEC.encode(n));
            }
            TopicPartition used = fx.endOffsets().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(fx.topic(Topics.NOTICES)) && e.getValue() == 5)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            try (Admin admin = Admin.create(broker.clientConfig())) {
                admin.alterConsumerGroupOffsets(group, Map.of(used, new OffsetAndMetadata(2))).all().get(30, TimeUnit.SECONDS);
            }
            deadLetter(fx, Topics.NOTICES_DLT, "PERMANENT");
            deadLetter(fx, Topics.NOTICES_DLT, "PERMANENT");
            deadLetter(fx, Topics.NOTICES_DLT, "RETRY_DEADLINE");
            deadLetter(fx, Topics.ROWS_DLT, "MALFORMED");
            // as the extractor writes a customer whose date it cannot read
            fx.send(fx.topic(Topics.ROWS_DLT), "100:100001".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                    DeadLetterHeaders.from(null, fx.topic(Topics.CUSTOMERS), -1, -1).errorClass("UNREADABLE_MODIFY_DATE")
                            .stage(DeadLetterHeaders.STAGE_EXTRACT).build());
            delivery(fx, "n-0", 2, now);
            delivery(fx, "n-1", 3, now);
            delivery(fx, "n-old", 10, now.minus(Duration.ofDays(40)));
            Checkpoint cp = new Checkpoint(Checkpoint.VERSION, "100:BD_Customer:all", true, null,
                    LocalDateTime.of(2026, 11, 29, 10, 0), List.of(), 42, now);
            fx.send(fx.topic(Topics.CHECKPOINTS), cp.jobId(), Checkpoint.CODEC.encode(cp));
            // an extractor replica's /metrics reports the job's last successful poll, later than its checkpoint
            ServiceRuntime extractor = new ServiceRuntime("extractor", 0);
            Instant polled = now.plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
            new ExtractorMetrics(extractor.registry()).lastSuccess(cp.jobId(), polled);
            extractor.start();
            fx.env.put("KDPIPE_EXTRACTOR_METRICS_URLS", "http://127.0.0.1:" + extractor.port() + "/metrics");

            Cli.Result result;
            try (extractor) {
                result = fx.run("status", "--json");
            }

            assertThat(result.exitCode()).as(result.toString()).isZero();
            JsonNode json = Json.mapper().readTree(result.out());
            JsonNode notifier = find(json.path("lag"), "service", "notifier");
            assertThat(notifier.path("group").asText()).isEqualTo(group);
            assertThat(notifier.path("lag").asLong()).isEqualTo(3);
            assertThat(find(json.path("lag"), "service", "transformer").path("hasOffsets").asBoolean()).isFalse();
            assertThat(json.path("deadLettersTotal").asLong()).isEqualTo(5);
            assertThat(count(json, fx.topic(Topics.NOTICES_DLT), "PERMANENT")).isEqualTo(2);
            assertThat(count(json, fx.topic(Topics.NOTICES_DLT), "RETRY_DEADLINE")).isEqualTo(1);
            assertThat(count(json, fx.topic(Topics.ROWS_DLT), "MALFORMED")).isEqualTo(1);
            assertThat(count(json, fx.topic(Topics.ROWS_DLT), "UNREADABLE_MODIFY_DATE")).isEqualTo(1);
            assertThat(json.path("dingtalk").path("used").asLong()).as("this month's calls only").isEqualTo(5);
            assertThat(json.path("dingtalk").path("budget").asLong()).isEqualTo(100);
            assertThat(json.path("dingtalk").path("remaining").asLong()).isEqualTo(95);
            JsonNode job = json.path("extractorJobs").get(0);
            assertThat(job.path("jobId").asText()).isEqualTo("100:BD_Customer:all");
            assertThat(job.path("watermark").asText()).startsWith("2026-11-29T10:00");
            assertThat(job.path("rowsPublished").asLong()).isEqualTo(42);
            assertThat(Instant.parse(job.path("lastSuccessfulPollAt").asText())).isEqualTo(polled);
            assertThat(json.path("extractorMetricsProblems")).isEmpty();

            Cli.Result table = fx.run("status");
            assertThat(table.exitCode()).as("an extractor that cannot be scraped is reported, not fatal").isZero();
            assertThat(table.out()).contains("extractor metrics: http://127.0.0.1:").contains("not reachable");
            assertThat(table.out()).contains("Consumer lag").contains(group).contains("Dead letters waiting: 5")
                    .contains("5 of 100 used");
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    private static long count(JsonNode json, String topic, String errorClass) {
        for (JsonNode n : json.path("deadLetters")) {
            if (topic.equals(n.path("topic").asText()) && errorClass.equals(n.path("errorClass").asText())) {
                return n.path("count").asLong();
            }
        }
        return 0;
    }

    private static void deadLetter(OperateFixture fx, Topic<?, ?> dlt, String errorClass) {
        fx.send(fx.topic(dlt), "k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                DeadLetterHeaders.from(null, fx.topic(Topics.NOTICES), 0, 1).errorClass(errorClass).build());
    }

    private static void delivery(OperateFixture fx, String noticeId, int calls, Instant at) {
        DeliveryRecord d = new DeliveryRecord(DeliveryRecord.VERSION, noticeId, DeliveryRecord.Status.SENT, List.of(1L),
                List.of("user-0001"), 1, calls, at, at, at, null);
        fx.send(fx.topic(Topics.DELIVERIES), noticeId, DeliveryRecord.CODEC.encode(d));
    }
}
