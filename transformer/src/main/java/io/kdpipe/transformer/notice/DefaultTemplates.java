package io.kdpipe.transformer.notice;

import io.kdpipe.common.contract.Notice.Kind;

/** The Chinese templates used when neither config nor the templates directory gives one. */
final class DefaultTemplates {

    // a digest lists its items under a heading per kind, so an item's line names only the customer
    static final String DIGEST_ITEM_MARKDOWN = "- {{FName}}（{{FNumber}}）";
    static final String DIGEST_ITEM_TEXT = "· {{FName}}（{{FNumber}}）";

    private static final String FACTS_MARKDOWN = """
            - 客户编码：{{FNumber}}
            - 使用组织：{{FUseOrgId_FNumber}}
            - 销售员：{{FSELLER_FNumber}}
            - 销售部门：{{FSALDEPTID_FNumber}}
            - 修改时间：{{modifiedAt}}""";
    private static final String FACTS_TEXT = """
            客户编码：{{FNumber}}
            使用组织：{{FUseOrgId_FNumber}}
            销售员：{{FSELLER_FNumber}}
            销售部门：{{FSALDEPTID_FNumber}}
            修改时间：{{modifiedAt}}""";

    private DefaultTemplates() {
    }

    static String title(Kind kind) {
        return switch (kind) {
            case DIGEST -> "客户变更汇总（{{total}} 条）";
            default -> "{{kindLabel}}：{{FName}}";
        };
    }

    static String markdown(Kind kind) {
        return switch (kind) {
            case CREATED -> "### 新客户已建立\n\n**{{FName}}**\n\n" + FACTS_MARKDOWN + "{{unresolvedNote}}";
            case APPROVED -> "### 客户已审核\n\n**{{FName}}**\n\n" + FACTS_MARKDOWN + "{{unresolvedNote}}";
            case CHANGED -> "### 客户资料变更\n\n**{{FName}}**（{{FNumber}}）\n\n{{changes}}\n\n- 修改时间：{{modifiedAt}}{{unresolvedNote}}";
            case FORBIDDEN -> "### 客户已禁用\n\n**{{FName}}**\n\n" + FACTS_MARKDOWN + "{{unresolvedNote}}";
            case ENABLED -> "### 客户已启用\n\n**{{FName}}**\n\n" + FACTS_MARKDOWN + "{{unresolvedNote}}";
            case DIGEST -> "### 客户变更汇总（{{part}}/{{parts}}）\n\n{{items}}\n\n本时段共 {{total}} 条，自 {{windowStart}} 起";
        };
    }

    static String text(Kind kind) {
        return switch (kind) {
            case CREATED -> "【新客户已建立】{{FName}}\n" + FACTS_TEXT + "{{unresolvedNote}}";
            case APPROVED -> "【客户已审核】{{FName}}\n" + FACTS_TEXT + "{{unresolvedNote}}";
            case CHANGED -> "【客户资料变更】{{FName}}（{{FNumber}}）\n{{changes}}\n修改时间：{{modifiedAt}}{{unresolvedNote}}";
            case FORBIDDEN -> "【客户已禁用】{{FName}}\n" + FACTS_TEXT + "{{unresolvedNote}}";
            case ENABLED -> "【客户已启用】{{FName}}\n" + FACTS_TEXT + "{{unresolvedNote}}";
            case DIGEST -> "【客户变更汇总 {{part}}/{{parts}}】\n{{items}}\n本时段共 {{total}} 条，自 {{windowStart}} 起";
        };
    }

    static String kindLabel(Kind kind) {
        return switch (kind) {
            case CREATED -> "新客户";
            case APPROVED -> "客户已审核";
            case CHANGED -> "客户资料变更";
            case FORBIDDEN -> "客户已禁用";
            case ENABLED -> "客户已启用";
            case DIGEST -> "客户变更汇总";
        };
    }
}
