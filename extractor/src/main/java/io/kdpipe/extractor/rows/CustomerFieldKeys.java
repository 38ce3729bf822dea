package io.kdpipe.extractor.rows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the extractor knows of {@code BD_Customer}'s field keys: the customer columns the
 * integration works with (the seed's), the fields notices depend on, and which table each field
 * belongs to. A reference field is written {@code FSELLER.FNumber} (code) or {@code FSELLER.FName}
 * (name); the bare key is Kingdee's internal id. A field of an entry table ({@code FT_BD_CUSTBANK},
 * the bank accounts) returns one row per entry line, whatever its spelling: bare, {@code .FNumber}
 * or {@code .FName}.
 */
public final class CustomerFieldKeys {

    /** The bank-account entry table. */
    public static final String BANK_TABLE = "FT_BD_CUSTBANK";
    /** The header table, one row per customer. */
    public static final String HEADER_TABLE = "T_BD_CUSTOMER";

    /** The seed's 52 customer columns, written as field keys (references as codes), header first, then the bank entry. */
    public static final List<String> SEED = List.of(
            "FCUSTID", "FNumber", "FName", "FCreateOrgId.FNumber", "FUseOrgId.FNumber", "FDescription", "FIsTrade",
            "FCustTypeId.FNumber", "FGroup.FNumber", "FSALDEPTID.FNumber", "FSELLER.FNumber", "FSETTLETYPEID.FNumber",
            "FRECCONDITIONID.FNumber", "FPRICELISTID.FNumber", "FDISCOUNTLISTID.FNumber", "FTaxType.FNumber", "FTaxRate.FNumber",
            "FADDRESS", "FTEL", "FFAX", "FZIP", "FWEBSITE", "FINVOICETITLE", "FTAXREGISTERCODE", "FINVOICEBANKNAME",
            "FINVOICEBANKACCOUNT", "FINVOICETEL", "FINVOICEADDRESS", "FInvoiceType", "FTRANSLEADTIME", "FMarginLevel", "FCompanyClassify.FNumber", "FCompanyNature.FNumber", "FCompanyScale.FNumber", "FSUPPLIERID.FNumber",
            "FIsGroup", "FIsDefPayer", "FGROUPCUSTID.FNumber", "FDefaultConsiLoc.FNumber", "FDefaultSettleLoc.FNumber",
            "FDefaultPayerLoc.FNumber", "FDefaultContact.FNumber",
            "FCOUNTRY1.FNumber", "FBANKCODE", "FACCOUNTNAME", "FBankTypeRec.FNumber", "FTextBankDetail", "FBankDetail.FNumber",
            "FOpenAddressRec", "FCNAPS", "FCURRENCYID.FNumber", "FISDEFAULT1");

    /** Names of the references people read in notices: salesperson, sales department, customer group. */
    public static final List<String> NAMES = List.of("FSELLER.FName", "FSALDEPTID.FName", "FGroup.FName");

    /** Identity, dates and statuses the extractor and the transformer work with beyond the seed's columns. */
    public static final List<String> OPERATIONAL = List.of(
            "FMASTERID", "FModifyDate", "FCreateDate", "FApproveDate", "FForbidDate", "FDocumentStatus", "FForbidStatus");

    /**
     * Fields a notice depends on, always queried: the statuses (approve, forbid, enable), the
     * routing fields (salesperson, department, use-organisation) and the fields the transformer
     * watches by default.
     */
    public static final List<String> NOTICE_FIELDS = List.of(
            "FDocumentStatus", "FForbidStatus", "FSELLER.FNumber", "FSELLER.FName", "FSALDEPTID.FNumber", "FSALDEPTID.FName",
            "FUseOrgId.FNumber", "FNumber", "FName", "FShortName", "FCustTypeId.FNumber", "FGroup.FNumber",
            "FSETTLETYPEID.FNumber", "FRECCONDITIONID.FNumber", "FCURRENCYID.FNumber", "FPRICELISTID.FNumber", "FADDRESS",
            "FTEL", "FMarginLevel");

    /** Every default field key: the seed's columns, the names, and the operational fields. */
    public static final List<String> DEFAULTS = Stream.of(SEED, NAMES, OPERATIONAL).flatMap(List::stream).distinct().toList();

    private static final Set<String> BANK_FIELDS = upper(List.of(
            "FCOUNTRY1", "FBANKCODE", "FACCOUNTNAME", "FBankTypeRec", "FTextBankDetail", "FBankDetail", "FOpenAddressRec",
            "FCNAPS", "FCURRENCYID", "FISDEFAULT1", "FBANKHOLDER", "FBankCurrencyId", "FEntryID"));

    private static final Set<String> HEADER_FIELDS = upper(List.of(
            "FCUSTID", "FMASTERID", "FNumber", "FName", "FShortName", "FCreateOrgId", "FUseOrgId", "FDescription", "FIsTrade",
            "FCustTypeId", "FGroup", "FSALDEPTID", "FSELLER", "FSETTLETYPEID", "FRECCONDITIONID", "FPRICELISTID",
            "FDISCOUNTLISTID", "FTaxType", "FTaxRate", "FADDRESS", "FTEL", "FFAX", "FZIP", "FWEBSITE", "FINVOICETITLE",
            "FTAXREGISTERCODE", "FINVOICEBANKNAME", "FINVOICEBANKACCOUNT", "FINVOICETEL", "FINVOICEADDRESS", "FInvoiceType",
            "FTRANSLEADTIME", "FTRADINGCURRID", "FMarginLevel", "FCompanyClassify", "FCompanyNature", "FCompanyScale",
            "FSUPPLIERID", "FIsGroup", "FIsDefPayer", "FGROUPCUSTID", "FDefaultConsiLoc", "FDefaultSettleLoc",
            "FDefaultPayerLoc", "FDefaultContact", "FCOUNTRY", "FPROVINCIAL", "FCreditAmount", "FSOCIALCRECODE",
            "FCreateDate", "FModifyDate", "FApproveDate", "FForbidDate", "FApproverId", "FCreatorId", "FModifierId",
            "FForbidderId", "FDocumentStatus", "FForbidStatus", "FCorrespondOrgId", "FLegalPerson", "FRegisterAddress"));

    /** A column name written where a field key belongs: {@code FSELLER_FNumber} for {@code FSELLER.FNumber}. */
    private static final Pattern FLATTENED = Pattern.compile("(?i)^(F\\w+?)_(FNumber|FName)$");

    private CustomerFieldKeys() {
    }

    /** The key before its first dot: {@code FSELLER.FNumber} → {@code FSELLER}. */
    public static String base(String key) {
        String k = key.trim();
        int dot = k.indexOf('.');
        return dot < 0 ? k : k.substring(0, dot);
    }

    /**
     * The table a field belongs to ({@link #BANK_TABLE} or {@link #HEADER_TABLE}), with
     * {@code extraEntryFields} (base keys) counted as bank-entry fields; empty when unknown.
     */
    public static Optional<String> tableOf(String key, Set<String> extraEntryFields) {
        String b = base(key).toUpperCase(Locale.ROOT);
        if (BANK_FIELDS.contains(b) || extraEntryFields.stream().anyMatch(e -> base(e).equalsIgnoreCase(b))) {
            return Optional.of(BANK_TABLE);
        }
        return HEADER_FIELDS.contains(b) ? Optional.of(HEADER_TABLE) : Optional.empty();
    }

    /** The dotted field key for a flattened column name ({@code FSELLER_FNumber} → {@code FSELLER.FNumber}); other keys as they are. */
    public static String dotted(String key) {
        Matcher m = FLATTENED.matcher(key.trim());
        if (!m.matches()) {
            return key.trim();
        }
        String suffix = m.group(2).equalsIgnoreCase("FNumber") ? "FNumber" : "FName";
        return m.group(1) + "." + suffix;
    }

    /** Keys of {@code keys} that {@link #dotted} changes. */
    public static List<String> flattened(List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (!dotted(k).equals(k.trim())) {
                out.add(k.trim());
            }
        }
        return out;
    }

    private static Set<String> upper(List<String> keys) {
        return keys.stream().map(k -> k.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
