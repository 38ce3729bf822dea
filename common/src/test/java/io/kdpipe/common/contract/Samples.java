package io.kdpipe.common.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** One realistic value of every contract. */
public final class Samples {

    private static final Instant T = Instant.parse("2026-11-28T02:02:03.583Z");

    private Samples() {
    }

    public static CustomerRow row() {
        return CustomerRow.of("5867f8d847e804", "BD_Customer", "100231", T, T.plusSeconds(5),
                CustomerRow.Phase.INCREMENTAL,
                Map.of("FNumber", TextNode.valueOf("C0123"),
                        "FName", TextNode.valueOf("上海华东电子有限公司"),
                        "FSELLER_FNumber", TextNode.valueOf("XSY007"),
                        "FMarginLevel", DecimalNode.valueOf(new BigDecimal("0.150")),
                        "FDescription", NullNode.getInstance(),
                        "FBANKCODE", JsonNodeFactory.instance.arrayNode().add("6222 0001").add("6222 0002")));
    }

    public static Checkpoint checkpoint() {
        return new Checkpoint(Checkpoint.VERSION, "acct-1:BD_Customer:100", true, null,
                LocalDateTime.parse("2026-11-28T10:02:03.583"), List.of("100231", "100232"), 10_000, T);
    }

    public static Notice notice() {
        ObjectNode msg = JsonNodeFactory.instance.objectNode().put("msgtype", "markdown");
        msg.putObject("markdown").put("title", "客户已审核").put("text", "### 客户已审核\n**上海华东电子有限公司** (C0123)");
        return new Notice(Notice.VERSION, "n-4f1c2a", Notice.Kind.APPROVED, List.of("5867f8d847e804:100231"),
                new Notice.Recipients(List.of("zhangwei"), List.of(), List.of("XSY009")), msg,
                new Notice.Provenance("kingdee.customers.v1", 3, 1234L, T, null), T.plusSeconds(7));
    }

    public static DeliveryRecord delivery() {
        return new DeliveryRecord(DeliveryRecord.VERSION, "n-4f1c2a", DeliveryRecord.Status.SENT, List.of(256271667526L),
                List.of("zhangwei"), 2, 2, T.plusSeconds(8), T.plusSeconds(9), T,
                new DeliveryRecord.Verification(List.of(), List.of("lisi"), List.of(), T.plusSeconds(20)));
    }

    public static DirectoryEntry directoryEntry() {
        return new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, "XSY007", "张伟", "13800000000",
                "zhangwei", null, T);
    }

    /** Each contract's codec with a sample value. */
    public static List<Case<?>> all() {
        return List.of(
                new Case<>(CustomerRow.CODEC, row()),
                new Case<>(Checkpoint.CODEC, checkpoint()),
                new Case<>(Notice.CODEC, notice()),
                new Case<>(DeliveryRecord.CODEC, delivery()),
                new Case<>(DirectoryEntry.CODEC, directoryEntry()));
    }

    public record Case<T extends Versioned>(Codec<T> codec, T value) {
        @Override
        public String toString() {
            return value.getClass().getSimpleName();
        }
    }
}
