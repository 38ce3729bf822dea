package io.kdpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdpipe.common.contract.DeliveryRecord;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.deadletter.DeadLetterHeaders;
import io.kdpipe.reliability.ConservationCheck.Change;
import io.kdpipe.reliability.ConservationCheck.DuplicateBound;
import io.kdpipe.reliability.ConservationCheck.Evidence;
import io.kdpipe.reliability.ConservationCheck.Expected;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The verdict on constructed evidence: each class of defect turns it to FAILED; a clean run passes. */
class ConservationCheckTest {

    private static final String BAD_USERID = "notifier: PERMANENT/BAD_USERID";

    private final List<Change> changes = List.of(
            new Change(1, new Expected.Delivered("user-a"), false, Instant.EPOCH),
            new Change(2, new Expected.Delivered("user-b"), true, Instant.EPOCH),
            new Change(3, new Expected.DeadLettered(BAD_USERID), false, Instant.EPOCH));

    /** Builds evidence; starts as a clean run: each planned outcome happened once, nothing else. */
    private static final class Run {
        final Map<Long, Map<String, List<JsonNode>>> received = new HashMap<>();
        final Map<Long, List<String>> deadLetters = new HashMap<>();
        final Map<String, Map<String, Integer>> sends = new TreeMap<>();
        DuplicateBound bound = new DuplicateBound(1, 1, 0, 0, 1);
        final List<DeliveryRecord> ledger = new ArrayList<>();
        final List<String> stalled = new ArrayList<>();

        Run() {
            deliver(1, "user-a");
            deliver(2, "user-b");
            deadLetter(3, BAD_USERID);
            send("n-1", "user-a");
            send("n-2", "user-b");
            ledger.add(sent("n-1", List.of(101L), "user-a"));
            ledger.add(sent("n-2", List.of(102L), "user-b"));
        }

        Run deliver(long customer, String user) {
            received.computeIfAbsent(customer, x -> new LinkedHashMap<>()).computeIfAbsent(user, x -> new ArrayList<>())
                    .add(markdown("客户 " + customer + " 已修改"));
            return this;
        }

        Run deadLetter(long customer, String reason) {
            deadLetters.computeIfAbsent(customer, x -> new ArrayList<>()).add(reason);
            return this;
        }

        /** One more send of {@code notice} to {@code user} that DingTalk accepted. */
        Run send(String notice, String user) {
            sends.computeIfAbsent(notice, x -> new TreeMap<>()).merge(user, 1, Integer::sum);
            return this;
        }

        ConservationCheck.Result verdict(List<Change> changes) {
            return ConservationCheck.verdict(changes, new Evidence(received, deadLetters, Map.of(), sends, bound, ledger, stalled));
        }
    }

    private static DeliveryRecord sent(String notice, List<Long> taskIds, String... users) {
        return new DeliveryRecord(DeliveryRecord.VERSION, notice, DeliveryRecord.Status.SENT, taskIds, List.of(users), 1, 1,
                Instant.EPOCH, Instant.EPOCH, null, null);
    }

    private static JsonNode markdown(String text) {
        ObjectNode msg = Json.mapper().createObjectNode().put("msgtype", "markdown");
        msg.putObject("markdown").put("title", "客户变更").put("text", text);
        return msg;
    }

    @Test
    void aCleanRunPasses() {
        ConservationCheck.Result r = new Run().verdict(changes);

        assertThat(r.failures()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.delivered()).isEqualTo(2);
        assertThat(r.deadLettered()).containsExactlyEntriesOf(Map.of(BAD_USERID, 1));
    }

    @Test
    void aLostChangeFails() {
        Run run = new Run();
        run.received.remove(2L);

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.lostIds()).containsExactly(2L);
    }

    @Test
    void aPlannedDeadLetterThatNeverCameIsLost() {
        Run run = new Run();
        run.deadLetters.clear();

        assertThat(run.verdict(changes).lostIds()).containsExactly(3L);
    }

    @Test
    void aChangeDeliveredTwiceFails() {
        ConservationCheck.Result r = new Run().deliver(1, "user-a").verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.deliveredTwice()).isEqualTo(1);
    }

    @Test
    void duplicateSendAttemptsBeyondTheCountedEventsFail() {
        Run run = new Run().send("n-1", "user-a").send("n-2", "user-b");
        ConservationCheck.Result within = run.verdict(changes);
        assertThat(within.passed()).as("one kill and one timeout after delivery explain two").isTrue();
        assertThat(within.duplicateSendAttempts()).isEqualTo(2);

        run.send("n-1", "user-a");
        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.duplicateSendAttempts()).isEqualTo(3);
        assertThat(r.duplicatesByNotice()).containsExactly("n-1 → user-a: 3 sends", "n-2 → user-b: 2 sends");
        assertThat(r.failures()).anySatisfy(f -> assertThat(f).startsWith("3 duplicate send attempts > 2 =").contains("n-1 → user-a: 3 sends"));
    }

    @Test
    void eachCountedEventWidensTheBoundByWhatItCanResend() {
        Run run = new Run().send("n-1", "user-a").send("n-1", "user-a").send("n-2", "user-b");
        run.bound = new DuplicateBound(0, 0, 0, 0, 1);
        assertThat(run.verdict(changes).passed()).as("no counted event explains a duplicate").isFalse();

        run.bound = new DuplicateBound(0, 0, 1, 2, 1);
        assertThat(run.verdict(changes).passed()).as("an aborted transaction and two partition losses explain three").isTrue();
        run.bound = new DuplicateBound(0, 0, 0, 2, 1);
        assertThat(run.verdict(changes).failures()).singleElement().asString()
                .startsWith("3 duplicate send attempts > 2 = (0 notifier kills + 0 aborted ledger transactions + 2 partition losses)");
    }

    @Test
    void theSameNoticeToTwoRecipientsIsNoDuplicate() {
        Run run = new Run().send("n-1", "user-c");
        run.bound = new DuplicateBound(0, 0, 0, 0, 1);

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.duplicateSendAttempts()).isZero();
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void sendAttemptsAreMatchedToTheirNoticeByTheMsgAsSent() {
        JsonNode a = markdown("客户 1 已修改");
        JsonNode b = markdown("客户 2 已修改");
        JsonNode shared = markdown("客户 9 已修改");
        List<DingTalkSandbox.SendAttempt> attempts = List.of(
                attempt("user-a", a, DingTalkSandbox.SendAttempt.DELIVERED),
                attempt("user-b", b, DingTalkSandbox.SendAttempt.DELIVERED),
                attempt("user-a", a.deepCopy(), DingTalkSandbox.SendAttempt.REPEAT),
                attempt("user-a", shared, DingTalkSandbox.SendAttempt.DELIVERED),
                attempt("user-a", shared, DingTalkSandbox.SendAttempt.REPEAT),
                attempt("user-a", markdown("别的"), DingTalkSandbox.SendAttempt.DELIVERED));

        Map<String, Map<String, Integer>> sends = ConservationCheck.sendsByNotice(attempts,
                Map.of(a, List.of("n-1"), b, List.of("n-2"), shared, List.of("n-8", "n-9")));

        assertThat(sends).containsEntry("n-1", Map.of("user-a", 2)).containsEntry("n-2", Map.of("user-b", 1))
                .as("two notices with one msg: one send each").containsEntry("n-8", Map.of("user-a", 1)).containsEntry("n-9", Map.of("user-a", 1))
                .containsEntry("msg of no notice: 客户变更", Map.of("user-a", 1));
    }

    private static DingTalkSandbox.SendAttempt attempt(String user, JsonNode msg, String outcome) {
        return new DingTalkSandbox.SendAttempt(Instant.EPOCH, user, msg, 1L, outcome);
    }

    @Test
    void theBoundGrowsWithEachCountedEventAndTheTransactionSize() {
        assertThat(new DuplicateBound(0, 0, 0, 0, 5).allowed()).isZero();
        assertThat(new DuplicateBound(2, 3, 1, 1, 5).allowed()).isEqualTo((2 + 1 + 1) * 5 + 3);
    }

    @Test
    void aDeadLetterWithAnotherReasonThanPlannedFails() {
        Run run = new Run();
        run.deadLetters.put(3L, new ArrayList<>(List.of("notifier: RETRY_DEADLINE/BUSY")));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.deadLettered()).isEmpty();
        assertThat(r.wrongOutcomes()).singleElement().asString().contains("customer 3", "RETRY_DEADLINE/BUSY", BAD_USERID);
    }

    @Test
    void aDeadLetterWithEitherOfTwoPlannedReasonsPassesAndAThirdFails() {
        String routedAround = "notifier: PERMANENT/NO_RECIPIENTS";
        List<Change> either = List.of(changes.get(0), changes.get(1),
                new Change(3, new Expected.DeadLettered(List.of(BAD_USERID, routedAround)), false, Instant.EPOCH));
        Run other = new Run();
        other.deadLetters.put(3L, new ArrayList<>(List.of(routedAround)));
        Run third = new Run();
        third.deadLetters.put(3L, new ArrayList<>(List.of("notifier: RETRY_DEADLINE/BUSY")));

        assertThat(new Run().verdict(either).passed()).isTrue();
        ConservationCheck.Result r = other.verdict(either);
        assertThat(r.passed()).isTrue();
        assertThat(r.deadLettered()).containsOnlyKeys(routedAround);
        ConservationCheck.Result bad = third.verdict(either);
        assertThat(bad.passed()).isFalse();
        assertThat(bad.wrongOutcomes()).singleElement().asString().contains("customer 3", BAD_USERID + " or " + routedAround);
    }

    @Test
    void aDeadLetterWhereADeliveryWasPlannedFails() {
        Run run = new Run();
        run.received.remove(1L);
        run.deadLetter(1, "transformer: MALFORMED");

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.lost()).isZero();
        assertThat(r.wrongOutcomes()).singleElement().asString().contains("customer 1", "transformer: MALFORMED");
    }

    @Test
    void aDeliveryWhereADeadLetterWasPlannedFails() {
        Run run = new Run().deliver(3, "user-c");

        assertThat(run.verdict(changes).wrongOutcomes()).singleElement().asString().contains("customer 3", "user-c");
    }

    @Test
    void aDeliveryToAnotherUserFails() {
        Run run = new Run();
        run.received.remove(1L);
        run.deliver(1, "user-b");

        assertThat(run.verdict(changes).wrongOutcomes()).singleElement().asString().contains("customer 1", "user-b", "user-a");
    }

    @Test
    void aDeadLetterWithoutAReasonFails() {
        Run run = new Run();
        run.deadLetters.put(3L, new ArrayList<>(List.of(BAD_USERID, "notifier: " + ConservationCheck.NO_REASON)));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.deadLettersWithoutReason()).isEqualTo(1);
    }

    @Test
    void aStalledJobFails() {
        Run run = new Run();
        run.stalled.add("group kdpipe-transformer has lag 4");

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).contains("stalled: group kdpipe-transformer has lag 4");
    }

    @Test
    void aNoticeTheLedgerRecordsAsSentTwiceFails() {
        Run run = new Run();
        run.ledger.add(sent("n-1", List.of(201L), "user-a"));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.ledgerSentTwice()).containsExactly("n-1");
        assertThat(r.failures()).contains("the ledger records notices as sent twice: [n-1]");
    }

    @Test
    void aResultCheckThatUpdatesTheEntryIsNoSecondSend() {
        Run run = new Run();
        DeliveryRecord first = run.ledger.get(0);
        run.ledger.add(first.checked(DeliveryRecord.Delivery.DELIVERED, null, null, 1, Instant.EPOCH.plusSeconds(120), null));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.ledgerSentTwice()).isEmpty();
        assertThat(r.ledgerDeliveredTwice()).isEmpty();
        assertThat(r.passed()).isTrue();
    }

    @Test
    void aNoticeTheLedgerRecordsAsDeliveredTwiceToOneRecipientFails() {
        Run run = new Run();
        run.ledger.add(sent("n-2", List.of(202L, 203L), "user-c", "user-b"));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.ledgerDeliveredTwice()).containsExactly("n-2 → user-b");
        assertThat(r.failures()).contains("the ledger records notices as delivered twice to one recipient: [n-2 → user-b]");
    }

    @Test
    void aSecondSendToARecipientTheFirstDidNotReachIsNoSecondDelivery() {
        Run run = new Run();
        DeliveryRecord first = run.ledger.remove(0);
        run.ledger.add(first.checked(DeliveryRecord.Delivery.NOT_DELIVERED, DeliveryRecord.DAILY_CAP,
                new DeliveryRecord.Verification(List.of(), List.of("user-a"), List.of(), Instant.EPOCH), 1, Instant.EPOCH, null));
        run.ledger.add(sent("n-1", List.of(301L), "user-a"));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.ledgerDeliveredTwice()).isEmpty();
        assertThat(r.ledgerSentTwice()).as("it is still a second send of the notice").containsExactly("n-1");
    }

    @Test
    void anActiveLinkInANoticeAboutAnInjectedNameFails() {
        Run run = new Run();
        run.received.remove(2L);
        run.received.put(2L, Map.of("user-b", List.of(markdown("客户 [点我](http://evil.example)"))));

        ConservationCheck.Result r = run.verdict(changes);

        assertThat(r.passed()).isFalse();
        assertThat(r.activeLinks()).isEqualTo(1);
    }

    @Test
    void theReasonIsReadFromTheErrorClassHeaderAndItsDetail() {
        ConsumerRecord<byte[], byte[]> permanent = deadLetter(Map.of(DeadLetterHeaders.ERROR_CLASS, "PERMANENT",
                ConservationCheck.REASON_DETAIL, "BAD_USERID"));
        ConsumerRecord<byte[], byte[]> malformed = deadLetter(Map.of(DeadLetterHeaders.ERROR_CLASS, "MALFORMED"));
        ConsumerRecord<byte[], byte[]> none = deadLetter(Map.of(DeadLetterHeaders.ORIGIN_TOPIC, "t", ConservationCheck.REASON_DETAIL, "X"));

        assertThat(ConservationCheck.reason(permanent)).isEqualTo("PERMANENT/BAD_USERID");
        assertThat(ConservationCheck.reason(malformed)).isEqualTo("MALFORMED");
        assertThat(ConservationCheck.reason(none)).isEqualTo(ConservationCheck.NO_REASON);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(Map<String, String> headers) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("dlt", 0, 0L, "k".getBytes(StandardCharsets.UTF_8), new byte[0]);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }
}
