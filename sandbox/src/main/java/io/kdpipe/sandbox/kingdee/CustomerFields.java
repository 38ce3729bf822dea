package io.kdpipe.sandbox.kingdee;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code BD_Customer} field keys the sandbox knows. Keys are matched without regard to case, as
 * Kingdee does. Bank-account fields belong to the customer's bank entry: selecting any of them
 * returns one row per account.
 */
final class CustomerFields {

    /** Header fields that hold a value of their own. */
    private static final List<String> HEADER_VALUES = List.of(
            "FCUSTID", "FMASTERID", "FNumber", "FName", "FShortName", "FDescription", "FIsTrade", "FADDRESS", "FTEL", "FFAX", "FZIP",
            "FWEBSITE", "FINVOICETITLE", "FTAXREGISTERCODE", "FINVOICEBANKNAME", "FINVOICEBANKACCOUNT", "FINVOICETEL", "FINVOICEADDRESS",
            "FInvoiceType", "FTRANSLEADTIME", "FIsGroup", "FIsDefPayer", "FSOCIALCRECODE", "FMarginLevel", "FCreditAmount",
            "FCreateDate", "FModifyDate", "FApproveDate", "FForbidDate", "FApproverId", "FDocumentStatus", "FForbidStatus");

    /** Header reference fields: the bare key is the internal id, {@code .FNumber} the code, {@code .FName} the name. */
    private static final List<String> HEADER_REFERENCES = List.of(
            "FCreateOrgId", "FUseOrgId", "FCustTypeId", "FGroup", "FSALDEPTID", "FSELLER", "FSETTLETYPEID", "FRECCONDITIONID",
            "FPRICELISTID", "FDISCOUNTLISTID", "FTaxType", "FTaxRate", "FTRADINGCURRID", "FCOUNTRY", "FPROVINCIAL",
            "FCompanyClassify", "FCompanyNature", "FCompanyScale", "FSUPPLIERID", "FGROUPCUSTID", "FDefaultConsiLoc",
            "FDefaultSettleLoc", "FDefaultPayerLoc", "FDefaultContact");

    /** Bank-account entry ({@code FT_BD_CUSTBANK}) fields holding a value of their own. */
    private static final List<String> ENTRY_VALUES = List.of(
            "FBANKCODE", "FACCOUNTNAME", "FTextBankDetail", "FOpenAddressRec", "FCNAPS", "FISDEFAULT1");

    /** Bank-account entry reference fields. */
    private static final List<String> ENTRY_REFERENCES = List.of("FCOUNTRY1", "FBankTypeRec", "FBankDetail", "FCURRENCYID");

    /** Header fields, one value per customer. */
    static final List<String> HEADER = withReferences(HEADER_VALUES, HEADER_REFERENCES);

    /** Bank-account entry fields: selecting them multiplies rows. */
    static final List<String> ENTRY = withReferences(ENTRY_VALUES, ENTRY_REFERENCES);

    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

    static {
        HEADER.forEach(f -> CANONICAL.put(f.toUpperCase(Locale.ROOT), f));
        ENTRY.forEach(f -> CANONICAL.put(f.toUpperCase(Locale.ROOT), f));
    }

    private CustomerFields() {
    }

    private static List<String> withReferences(List<String> values, List<String> references) {
        List<String> out = new ArrayList<>(values);
        for (String r : references) {
            out.addAll(List.of(r, r + ".FNumber", r + ".FName"));
        }
        return List.copyOf(out);
    }

    /**
     * The field's canonical spelling, or empty when {@code BD_Customer} has no such field. As on a
     * real server, a reference is written with a dot: the flattened column name
     * {@code FSELLER_FNumber} is no field key.
     */
    static Optional<String> canonical(String key) {
        return Optional.ofNullable(CANONICAL.get(key.trim().toUpperCase(Locale.ROOT)));
    }

    static boolean isEntry(String canonical) {
        return ENTRY.contains(canonical);
    }
}
