package io.kdpipe.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.Json;

/** A chaos report built from constructed evidence that meets every target, for tests that break one. */
final class ConstructedReports {

    private ConstructedReports() {
    }

    static ChaosReport clean(FaultLog faults) {
        return clean(faults, Map.of("customers → MALFORMED", 5, "notices → UNDECODABLE/MALFORMED", 5));
    }

    /** As {@link #clean(FaultLog)}, with the malformed records found in the DLTs by topic and reason. */
    static ChaosReport clean(FaultLog faults, Map<String, Integer> badRecordsDeadLettered) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "markdown");
        msg.putObject("markdown").put("title", "客户变更").put("text", "客户 \\[点我\\](http://evil.example) 已修改");
        List<ConservationCheck.Change> changes = List.of(
                new ConservationCheck.Change(1, new ConservationCheck.Expected.Delivered("user-a"), true, Instant.EPOCH));
        ConservationCheck.Evidence evidence = new ConservationCheck.Evidence(Map.of(1L, Map.of("user-a", List.of(msg))), Map.of(),
                badRecordsDeadLettered, Map.of("n-1", Map.of("user-a", 1)),
                new ConservationCheck.DuplicateBound(0, 0, 0, 0, 1), List.of(), List.of());
        ConservationCheck.Result result = ConservationCheck.verdict(changes, evidence);
        return new ChaosReport(ChaosOptions.shortRun(Path.of("."), "", Path.of("target")), Duration.ofSeconds(60), faults,
                Map.of("notifier", 1), Map.of("notifier", 0), Map.of("notifier", 0), Map.of("notifier", 0), result,
                Map.of("kdpipe.extractor.checkpoints.v1", 12), List.of(), List.of(), Map.of(), 1, Path.of("target"));
    }
}
