package io.kdpipe.sandbox.kingdee;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
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
        h.put("FCustTypeId.FNumber", pick(CUSTOMER_TYPES));
        h.put("FGroup.FNumber", pick(GROUPS));
        h.put("FSALDEPTID", 200000L + Long.parseLong(dept.substring(3)));
        h.put("FSALDEPTID.FNumber", dept);
        h.put("FSALDEPTID.FName", deptNames.get(dept));
        h.put("FSELLER", 300000L + Long.parseLong(seller.substring(3)));
        h.put("FSELLER.FNumber", seller);
        h.put("FSELLER.FName", sellerNames.get(seller));
        h.put("FSETTLETYPEID.FNumber", pick(SETTLE));
        h.put("FRECCONDITIONID.FNumber", pick(RECEIPT));
        h.put("FPRICELISTID.FNumber", random.nextBoolean() ? "XSJMB0001" : null);
        h.put("FDISCOUNTLISTID.FNumber", null);
        h.put("FTaxType.FNumber", "SFL02_SYS");
        h.put("FTaxRate.FNumber", random.nextBoolean() ? "SL02_SYS" : "SL04_SYS");
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
        h.put("FCURRENCYID.FNumber", "PRE001");
        h.put("FCOUNTRY.FNumber", "China");
        h.put("FPROVINCIAL.FNumber", null);
        h.put("FMarginLevel", BigDecimal.ZERO);
        h.put("FCreditAmount", new BigDecimal(random.nextInt(500) * 1000).setScale(2));
        h.put("FCreateDate", at);
        h.put("FModifyDate", at);
        h.put("FApproveDate", null);
        h.put("FApproverId", 0L);
        h.put("FDocumentStatus", "A");
        h.put("FForbidStatus", "A");
        int accounts = random.nextInt(10) < 6 ? 1 : (random.nextBoolean() ? 0 : 2);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            String b = i == 0 ? bank : pick(BANKS);
            line.put("FCOUNTRY1", "China");
            line.put("FBANKCODE", accountNumber());
            line.put("FACCOUNTNAME", name);
            line.put("FBankTypeRec", 400000L + random.nextInt(20));
            line.put("FTextBankDetail", b + city + pick(BRANCHES));
            line.put("FBankDetail", 0L);
            line.put("FOpenAddressRec", city);
            line.put("FCNAPS", String.format("%012d", Math.abs(random.nextLong()) % 1_000_000_000_000L));
            line.put("FCURRENCYID", 1L);
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
