package io.kdpipe.bench.pipeline;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kdpipe.common.contract.CustomerRow;
import io.kdpipe.common.contract.DirectoryEntry;

/**
 * Realistic customer rows, shaped like the extractor's output for the default field keys
 * (flattened {@code F…_FNumber} keys, ISO dates with offset, bank-account fields as arrays).
 * Version 0 is a new customer, 1 changes the address (a watched field), 2 saves without a change,
 * 3 approves it.
 */
public final class Rows {

    public static final String ACCOUNT = "bench-acct";
    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final String[] CITIES = {"深圳", "广州", "上海", "北京", "杭州", "成都", "武汉", "南京"};
    private static final String[] TRADES = {"科技", "贸易", "实业", "电子", "物流", "医疗器械", "新材料", "食品"};
    private static final Instant BASE = Instant.parse("2026-01-05T01:00:00Z");

    private Rows() {
    }

    public static String seller(long id, int sellers) {
        return String.format("XSY%03d", 1 + (int) (id % sellers));
    }

    public static String dingTalkUser(String seller) {
        return String.format("user-%04d", Integer.parseInt(seller.substring(3)));
    }

    public static List<DirectoryEntry> people(int sellers, Instant now) {
        return IntStream.rangeClosed(1, sellers)
                .mapToObj(i -> new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, String.format("XSY%03d", i),
                        "销售员" + i, String.format("1380000%04d", i), String.format("user-%04d", i), null, now))
                .toList();
    }

    /** One version of customer {@code id}; {@code withDepartment} adds a (not resolvable) sales department. */
    public static CustomerRow row(long id, int version, int sellers, boolean withDepartment, CustomerRow.Phase phase) {
        Instant created = BASE.plusSeconds(id);
        Instant modified = created.plusSeconds(3600L * version);
        String city = CITIES[(int) (id % CITIES.length)];
        String name = city + TRADES[(int) ((id / 8) % TRADES.length)] + "有限公司" + id;
        Map<String, JsonNode> f = new LinkedHashMap<>();
        f.put("FCUSTID", N.numberNode(100_000L + id));
        f.put("FMASTERID", N.numberNode(100_000L + id));
        f.put("FNumber", N.textNode("CUST" + String.format("%07d", id)));
        f.put("FName", N.textNode(name));
        f.put("FShortName", N.textNode(city + TRADES[(int) ((id / 8) % TRADES.length)]));
        f.put("FCreateOrgId_FNumber", N.textNode("100"));
        f.put("FUseOrgId_FNumber", N.textNode("100"));
        f.put("FDescription", id % 3 == 0 ? N.textNode("老客户，重点跟进") : N.nullNode());
        f.put("FIsTrade", N.booleanNode(true));
        f.put("FCustTypeId_FNumber", N.textNode("KHLB001_SYS"));
        f.put("FGroup_FNumber", N.textNode("KHFZ0" + (id % 4)));
        f.put("FSALDEPTID_FNumber", withDepartment ? N.textNode("XSB0" + (1 + id % 5)) : N.nullNode());
        f.put("FSELLER_FNumber", N.textNode(seller(id, sellers)));
        f.put("FSETTLETYPEID_FNumber", N.textNode("JSFS0" + (1 + id % 4) + "_SYS"));
        f.put("FRECCONDITIONID_FNumber", N.textNode("SKTJ0" + (1 + id % 3) + "_SYS"));
        f.put("FPRICELISTID_FNumber", id % 2 == 0 ? N.textNode("XSJMB0001") : N.nullNode());
        f.put("FDISCOUNTLISTID_FNumber", N.nullNode());
        f.put("FTaxType_FNumber", N.textNode("SFL02_SYS"));
        f.put("FTaxRate_FNumber", N.textNode(id % 2 == 0 ? "SL02_SYS" : "SL04_SYS"));
        f.put("FADDRESS", N.textNode(city + "市南山区科技路" + (version >= 1 ? 500 + id % 400 : 1 + id % 400) + "号"));
        f.put("FTEL", N.textNode(String.format("0755-%08d", id % 100_000_000)));
        f.put("FINVOICETITLE", N.textNode(name));
        f.put("FTAXREGISTERCODE", N.textNode(String.format("91440300%010d", id)));
        f.put("FINVOICEBANKNAME", N.textNode("招商银行" + city + "分行"));
        f.put("FINVOICEBANKACCOUNT", N.textNode(String.format("7559%012d", id)));
        f.put("FINVOICETEL", N.nullNode());
        f.put("FINVOICEADDRESS", N.nullNode());
        f.put("FCURRENCYID_FNumber", N.textNode("PRE001"));
        f.put("FMarginLevel", N.numberNode(id % 3));
        f.put("FModifyDate", N.textNode(ISO.format(modified.atZone(ZONE).toOffsetDateTime())));
        f.put("FCreateDate", N.textNode(ISO.format(created.atZone(ZONE).toOffsetDateTime())));
        f.put("FApproveDate", version >= 3 ? N.textNode(ISO.format(modified.atZone(ZONE).toOffsetDateTime())) : N.nullNode());
        f.put("FDocumentStatus", N.textNode(version >= 3 ? "C" : "A"));
        f.put("FForbidStatus", N.textNode("A"));
        int accounts = (int) (id % 3);
        for (String bank : List.of("FCOUNTRY1", "FBANKCODE", "FACCOUNTNAME", "FBankTypeRec", "FTextBankDetail", "FBankDetail",
                "FOpenAddressRec", "FCNAPS", "FCURRENCYID", "FISDEFAULT1")) {
            ArrayNode values = N.arrayNode();
            for (int a = 0; a < accounts; a++) {
                values.add(switch (bank) {
                    case "FBANKCODE" -> String.format("6225%012d", id * 10 + a);
                    case "FACCOUNTNAME" -> name;
                    case "FCNAPS" -> "308584000013";
                    case "FISDEFAULT1" -> a == 0 ? "true" : "false";
                    case "FCOUNTRY1" -> "China";
                    default -> bank + "-" + a;
                });
            }
            f.put(bank, values);
        }
        return CustomerRow.of(ACCOUNT, "BD_Customer", String.valueOf(100_000L + id), modified, modified.plusMillis(150), phase, f);
    }
}
