package io.kdpipe.sandbox.kingdee;

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

    /** Header fields, one value per customer. */
    static final List<String> HEADER = List.of(
            "FCUSTID", "FMASTERID", "FNumber", "FName", "FShortName",
            "FCreateOrgId", "FCreateOrgId.FNumber", "FCreateOrgId.FName", "FUseOrgId", "FUseOrgId.FNumber", "FUseOrgId.FName",
            "FDescription", "FIsTrade", "FCustTypeId.FNumber", "FGroup.FNumber",
            "FSALDEPTID", "FSALDEPTID.FNumber", "FSALDEPTID.FName", "FSELLER", "FSELLER.FNumber", "FSELLER.FName",
            "FSETTLETYPEID.FNumber", "FRECCONDITIONID.FNumber", "FPRICELISTID.FNumber", "FDISCOUNTLISTID.FNumber",
            "FTaxType.FNumber", "FTaxRate.FNumber", "FADDRESS", "FTEL", "FFAX", "FZIP", "FWEBSITE",
            "FINVOICETITLE", "FTAXREGISTERCODE", "FINVOICEBANKNAME", "FINVOICEBANKACCOUNT", "FINVOICETEL", "FINVOICEADDRESS",
            "FCURRENCYID.FNumber", "FCOUNTRY.FNumber", "FPROVINCIAL.FNumber", "FMarginLevel", "FCreditAmount",
            "FCreateDate", "FModifyDate", "FApproveDate", "FApproverId", "FDocumentStatus", "FForbidStatus");

    /** Bank-account entry fields: selecting them multiplies rows. */
    static final List<String> ENTRY = List.of(
            "FCOUNTRY1", "FBANKCODE", "FACCOUNTNAME", "FBankTypeRec", "FTextBankDetail", "FBankDetail",
            "FOpenAddressRec", "FCNAPS", "FCURRENCYID", "FISDEFAULT1");

    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

    static {
        HEADER.forEach(f -> CANONICAL.put(f.toUpperCase(Locale.ROOT), f));
        ENTRY.forEach(f -> CANONICAL.put(f.toUpperCase(Locale.ROOT), f));
    }

    private CustomerFields() {
    }

    /** The field's canonical spelling, or empty when {@code BD_Customer} has no such field. */
    static Optional<String> canonical(String key) {
        String k = key.trim().toUpperCase(Locale.ROOT).replace('_', '.');
        String found = CANONICAL.get(k);
        if (found == null) {
            found = CANONICAL.get(key.trim().toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(found);
    }

    static boolean isEntry(String canonical) {
        return ENTRY.contains(canonical);
    }
}
