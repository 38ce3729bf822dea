package io.kdpipe.transformer.change;

import java.util.HashMap;
import java.util.Map;

/** Chinese labels of BD_Customer fields, as people see them in Kingdee; configurable additions win. */
public final class FieldLabels {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("FNumber", "客户编码"),
            Map.entry("FName", "客户名称"),
            Map.entry("FShortName", "简称"),
            Map.entry("FSELLER_FNumber", "销售员"),
            Map.entry("FSALDEPTID_FNumber", "销售部门"),
            Map.entry("FCustTypeId_FNumber", "客户类别"),
            Map.entry("FGroup_FNumber", "客户分组"),
            Map.entry("FSETTLETYPEID_FNumber", "结算方式"),
            Map.entry("FRECCONDITIONID_FNumber", "收款条件"),
            Map.entry("FCURRENCYID_FNumber", "结算币别"),
            Map.entry("FPRICELISTID_FNumber", "价目表"),
            Map.entry("FDISCOUNTLISTID_FNumber", "折扣表"),
            Map.entry("FTaxType_FNumber", "税分类"),
            Map.entry("FTAXRATE_FNumber", "默认税率"),
            Map.entry("FADDRESS", "通讯地址"),
            Map.entry("FTEL", "联系电话"),
            Map.entry("FINVOICETITLE", "发票抬头"),
            Map.entry("FMarginLevel", "保证金比例"),
            Map.entry("FDescription", "描述"),
            Map.entry("FIsTrade", "是否交易客户"),
            Map.entry("FUseOrgId_FNumber", "使用组织"),
            Map.entry("FCreateOrgId_FNumber", "创建组织"),
            Map.entry("FDocumentStatus", "数据状态"),
            Map.entry("FForbidStatus", "禁用状态"));

    private final Map<String, String> labels;

    public FieldLabels(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.putAll(overrides);
        this.labels = Map.copyOf(all);
    }

    public static FieldLabels defaults() {
        return new FieldLabels(Map.of());
    }

    /** The label, or the field key itself when none is known. */
    public String label(String field) {
        return labels.getOrDefault(field, field);
    }
}
