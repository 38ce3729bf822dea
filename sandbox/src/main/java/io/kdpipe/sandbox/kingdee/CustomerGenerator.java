package io.kdpipe.sandbox.kingdee;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generates plausible Chinese customers: company names, addresses, salespeople, banks. */
final class CustomerGenerator {

    private static final String[] CITIES = {"上海", "北京", "深圳", "杭州", "苏州", "广州", "成都", "武汉", "南京", "天津",
        "重庆", "西安", "宁波", "厦门", "青岛", "无锡", "长沙", "郑州", "合肥", "佛山"};
    private static final String[] CORES = {"华信", "鑫源", "恒达", "瑞丰", "金泰", "宏远", "中科", "天成", "永盛", "博远",
        "海润", "创维", "嘉禾", "新纪元", "东方", "正泰", "联创", "汇通", "盛世", "长江", "银河", "凯达", "蓝海", "锦程"};
    private static final String[] TRADES = {"科技", "贸易", "电子", "机械", "建材", "化工", "医疗器械", "食品", "物流", "纺织",
        "软件", "新能源", "包装", "汽车配件", "环保", "信息技术", "精密制造", "农业"};
    private static final String[] SUFFIXES = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
    private static final String[] DISTRICTS = {"浦东新区", "海淀区", "南山区", "西湖区", "工业园区", "天河区", "高新区", "江汉区", "鼓楼区", "滨海新区"};
    private static final String[] ROADS = {"人民路", "建设路", "中山路", "解放大道", "科技园路", "长江路", "世纪大道", "文一西路", "新华路", "金融街"};
    private static final String[] BANKS = {"中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "招商银行", "交通银行", "浦发银行", "兴业银行"};
    private static final String[] BRANCHES = {"分行营业部", "支行", "高新支行", "开发区支行", "中心支行"};
    private static final String[] CUSTOMER_TYPES = {"KHLB001_SYS", "KHLB002_SYS", "KHLB003_SYS"};
    private static final String[] GROUPS = {"KH01", "KH02", "KH03", "KH04"};
    private static final String[] SETTLE = {"JSFS01_SYS", "JSFS02_SYS", "JSFS04_SYS"};
    private static final String[] RECEIPT = {"SKTJ01_SYS", "SKTJ02_SYS", "SKTJ03_SYS"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "强", "军", "杰", "婷", "丽", "涛", "明", "超", "霞"};

    /** Names of the codes reference fields point at, as {@code .FName} shows them. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("KHLB001_SYS", "普通销售客户"), Map.entry("KHLB002_SYS", "寄售客户"), Map.entry("KHLB003_SYS", "内部结算客户"),
            Map.entry("KH01", "华东客户"), Map.entry("KH02", "华南客户"), Map.entry("KH03", "华北客户"), Map.entry("KH04", "重点客户"),
            Map.entry("JSFS01_SYS", "现金"), Map.entry("JSFS02_SYS", "现金支票"), Map.entry("JSFS04_SYS", "电汇"),
            Map.entry("SKTJ01_SYS", "货到收款"), Map.entry("SKTJ02_SYS", "月结30天"), Map.entry("SKTJ03_SYS", "预收款"),
            Map.entry("XSJMB0001", "标准销售价目表"), Map.entry("SFL02_SYS", "一般纳税人"), Map.entry("SL02_SYS", "13%增值税"),
            Map.entry("SL04_SYS", "6%增值税"), Map.entry("PRE001", "人民币"), Map.entry("China", "中国"),
            Map.entry("KHFL01", "制造企业"), Map.entry("KHFL02", "商贸企业"), Map.entry("QYXZ01", "民营企业"), Map.entry("QYXZ02", "国有企业"),
            Map.entry("QYGM01", "大型"), Map.entry("QYGM02", "中型"), Map.entry("QYGM03", "小微"));
    private static final String[] CLASSIFY = {"KHFL01", "KHFL02"};
    private static final String[] NATURE = {"QYXZ01", "QYXZ02"};
    private static final String[] SCALE = {"QYGM01", "QYGM02", "QYGM03"};
    /** Bank types of the bank entry's {@code FBankTypeRec}: internal id 400000 + index, code, name. */
    private static final String[] BANK_TYPE_CODES = {"ICBC", "CCB", "ABC", "BOC", "CMB", "BOCOM", "SPDB", "CIB"};

    /** Use-organisation numbers and names. */
    static final Map<String, String> ORG_NAMES = Map.of(
            "100", "总公司", "101", "华东销售公司", "102", "华南销售公司", "103", "华北销售公司", "104", "西南销售公司");

    private final Random random;
    private final Map<String, String> sellerNames = new HashMap<>();
    private final Map<String, String> deptNames = new LinkedHashMap<>();

    CustomerGenerator(long seed) {
        this.random = new Random(seed);
        String[] depts = {"销售一部", "销售二部", "大客户部", "渠道部", "电商部"};
        for (int i = 0; i < depts.length; i++) {
            deptNames.put(String.format("XSB%02d", i + 1), depts[i]);
        }
        for (int i = 1; i <= 24; i++) {
            sellerNames.put(String.format("XSY%03d", i), pick(SURNAMES) + pick(GIVEN) + (random.nextBoolean() ? pick(GIVEN) : ""));
        }
    }

    /** A new customer header and bank lines, created at {@code at}. */
    SandboxCustomer customer(long id, long masterId, String number, String useOrg, String createOrg, LocalDateTime at) {
        String city = pick(CITIES);
        String name = city + pick(CORES) + pick(TRADES) + pick(SUFFIXES);
        String seller = String.format("XSY%03d", 1 + random.nextInt(sellerNames.size()));
        String dept = String.format("XSB%02d", 1 + random.nextInt(deptNames.size()));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("FCUSTID", id);
        h.put("FMASTERID", masterId);
        h.put("FNumber", number);
        h.put("FName", name);
        h.put("FShortName", random.nextInt(4) == 0 ? " " : name.substring(city.length(), Math.min(name.length(), city.length() + 4)));
        h.put("FCreateOrgId", 100000L + Long.parseLong(digits(createOrg)));
        h.put("FCreateOrgId.FNumber", createOrg);
        h.put("FCreateOrgId.FName", ORG_NAMES.getOrDefault(createOrg, "组织" + createOrg));
        h.put("FUseOrgId", 100000L + Long.parseLong(digits(useOrg)));
        h.put("FUseOrgId.FNumber", useOrg);
        h.put("FUseOrgId.FName", ORG_NAMES.getOrDefault(useOrg, "组织" + useOrg));
        h.put("FDescription", random.nextInt(3) == 0 ? "老客户，" + pick(TRADES) + "行业" : (random.nextBoolean() ? " " : null));
        h.put("FIsTrade", true);
        ref(h, "FCustTypeId", 500000L, pick(CUSTOMER_TYPES));
        ref(h, "FGroup", 510000L, pick(GROUPS));
        h.put("FSALDEPTID", 200000L + Long.parseLong(dept.substring(3)));
        h.put("FSALDEPTID.FNumber", dept);
        h.put("FSALDEPTID.FName", deptNames.get(dept));
        h.put("FSELLER", 300000L + Long.parseLong(seller.substring(3)));
        h.put("FSELLER.FNumber", seller);
        h.put("FSELLER.FName", sellerNames.get(seller));
        ref(h, "FSETTLETYPEID", 520000L, pick(SETTLE));
        ref(h, "FRECCONDITIONID", 530000L, pick(RECEIPT));
        ref(h, "FPRICELISTID", 540000L, random.nextBoolean() ? "XSJMB0001" : null);
        ref(h, "FDISCOUNTLISTID", 550000L, null);
        ref(h, "FTaxType", 560000L, "SFL02_SYS");
        ref(h, "FTaxRate", 570000L, random.nextBoolean() ? "SL02_SYS" : "SL04_SYS");
        h.put("FADDRESS", city + "市" + pick(DISTRICTS) + pick(ROADS) + (1 + random.nextInt(999)) + "号");
        h.put("FTEL", String.format("0%02d-%08d", 10 + random.nextInt(90), random.nextInt(100_000_000)));
        h.put("FFAX", null);
        h.put("FZIP", String.format("%06d", random.nextInt(1_000_000)));
        h.put("FWEBSITE", " ");
        h.put("FINVOICETITLE", name);
        h.put("FTAXREGISTERCODE", "91" + String.format("%06d", random.nextInt(1_000_000)) + "MA" + Long.toString(Math.abs(random.nextLong()) % 100_000_000L, 36).toUpperCase());
        String bank = pick(BANKS);
        h.put("FINVOICEBANKNAME", bank + city + pick(BRANCHES));
        h.put("FINVOICEBANKACCOUNT", accountNumber());
        h.put("FINVOICETEL", h.get("FTEL"));
        h.put("FINVOICEADDRESS", h.get("FADDRESS"));
        ref(h, "FTRADINGCURRID", 1L, "PRE001");
        ref(h, "FCOUNTRY", 46L, "China");
        ref(h, "FPROVINCIAL", 0L, null);
        h.put("FMarginLevel", BigDecimal.ZERO);
        h.put("FCreditAmount", new BigDecimal(random.nextInt(500) * 1000).setScale(2));
        h.put("FCreateDate", at);
        h.put("FModifyDate", at);
        h.put("FApproveDate", null);
        h.put("FApproverId", 0L);
        h.put("FDocumentStatus", "A");
        h.put("FForbidStatus", "A");
        h.put("FForbidDate", null);
        h.put("FInvoiceType", random.nextBoolean() ? "1" : "2");
        h.put("FTRANSLEADTIME", random.nextInt(8));
        ref(h, "FCompanyClassify", 580000L, pick(CLASSIFY));
        ref(h, "FCompanyNature", 590000L, pick(NATURE));
        ref(h, "FCompanyScale", 600000L, pick(SCALE));
        ref(h, "FSUPPLIERID", 610000L, null);
        h.put("FIsGroup", false);
        h.put("FIsDefPayer", random.nextInt(5) == 0);
        ref(h, "FGROUPCUSTID", 620000L, null);
        ref(h, "FDefaultConsiLoc", 630000L, "DZ" + number.replaceAll("\\D", ""), city + "收货地址");
        ref(h, "FDefaultSettleLoc", 640000L, "DZ" + number.replaceAll("\\D", ""), city + "结算地址");
        ref(h, "FDefaultPayerLoc", 650000L, "DZ" + number.replaceAll("\\D", ""), city + "付款地址");
        ref(h, "FDefaultContact", 660000L, "LXR" + number.replaceAll("\\D", ""), pick(SURNAMES) + pick(GIVEN));
        h.put("FSOCIALCRECODE", h.get("FTAXREGISTERCODE"));
        int accounts = random.nextInt(10) < 6 ? 1 : (random.nextBoolean() ? 0 : 2);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            String b = i == 0 ? bank : pick(BANKS);
            ref(line, "FCOUNTRY1", 46L, "China");
            line.put("FBANKCODE", accountNumber());
            line.put("FACCOUNTNAME", name);
            int bankType = Arrays.asList(BANKS).indexOf(b);
            ref(line, "FBankTypeRec", 400000L + bankType, BANK_TYPE_CODES[bankType], b);
            String branch = b + city + pick(BRANCHES);
            line.put("FTextBankDetail", branch);
            long detail = random.nextInt(3) == 0 ? 0L : 400284L + random.nextInt(500);
            ref(line, "FBankDetail", detail, detail == 0 ? null : "LHH" + detail, detail == 0 ? null : branch);
            line.put("FOpenAddressRec", city);
            line.put("FCNAPS", String.format("%012d", Math.abs(random.nextLong()) % 1_000_000_000_000L));
            boolean usd = i > 0 && random.nextInt(3) == 0;
            ref(line, "FCURRENCYID", usd ? 7L : 1L, usd ? "PRE007" : "PRE001", usd ? "美元" : "人民币");
            line.put("FISDEFAULT1", i == 0);
            lines.add(line);
        }
        return new SandboxCustomer(id, h, lines);
    }

    /** A change a person might make: a new salesperson, address, phone or name. */
    Map<String, Object> randomEdit(SandboxCustomer c) {
        Map<String, Object> changes = new LinkedHashMap<>();
        switch (random.nextInt(4)) {
            case 0 -> {
                String seller = String.format("XSY%03d", 1 + random.nextInt(sellerNames.size()));
                changes.put("FSELLER", 300000L + Long.parseLong(seller.substring(3)));
                changes.put("FSELLER.FNumber", seller);
                changes.put("FSELLER.FName", sellerNames.get(seller));
            }
            case 1 -> changes.put("FADDRESS", pick(CITIES) + "市" + pick(DISTRICTS) + pick(ROADS) + (1 + random.nextInt(999)) + "号");
            case 2 -> changes.put("FTEL", String.format("0%02d-%08d", 10 + random.nextInt(90), random.nextInt(100_000_000)));
            default -> changes.put("FName", c.name().replace("有限公司", "科技有限公司").replace("科技科技", "科技"));
        }
        return changes;
    }

    /** A reference field: its internal id (bare key), code ({@code .FNumber}) and name ({@code .FName}); id 0 when empty. */
    private static void ref(Map<String, Object> h, String base, long idBase, String code) {
        ref(h, base, code == null ? 0L : idBase + Math.abs(code.hashCode() % 1000), code, code == null ? null : NAMES.getOrDefault(code, code));
    }

    private static void ref(Map<String, Object> h, String base, long id, String code, String name) {
        h.put(base, code == null ? 0L : id);
        h.put(base + ".FNumber", code);
        h.put(base + ".FName", name);
    }

    private String accountNumber() {
        return String.format("%04d%015d", 6000 + random.nextInt(4000), Math.abs(random.nextLong()) % 1_000_000_000_000_000L);
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String digits(String org) {
        String d = org.replaceAll("\\D", "");
        return d.isEmpty() ? "0" : d.substring(Math.max(0, d.length() - 5));
    }
}
