package io.kdpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;

import io.kdpipe.common.config.ConfigException;
import io.kdpipe.extractor.job.JobSpec;
import io.kdpipe.extractor.kingdee.KingdeeAuth;
import io.kdpipe.extractor.rows.CustomerFieldKeys;
import org.junit.jupiter.api.Test;

class ExtractorConfigTest {

    private static Map<String, String> minimal() {
        return new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "KINGDEE_URL", "https://erp.example.com/k3cloud/",
                "KINGDEE_ACCT_ID", "5867f8d847e804",
                "KINGDEE_USERNAME", "kdpipe", "KINGDEE_PASSWORD", "s3cret-pass"));
    }

    @Test
    void shouldMakeOneJobPerUseOrganisationWithTheRequiredFields() {
        Map<String, String> env = minimal();
        env.put("KINGDEE_USE_ORGS", "101, 100");
        env.put("KINGDEE_FILTER", "FIsTrade = 1");
        env.put("KINGDEE_FIELD_KEYS", "FNumber,FName,FBANKCODE");
        ExtractorConfig config = ExtractorConfig.from(env);

        assertThat(config.jobs()).extracting(JobSpec::id)
                .containsExactly("5867f8d847e804.BD_Customer.org-100", "5867f8d847e804.BD_Customer.org-101");
        JobSpec job = config.jobs().get(0);
        assertThat(job.filter()).isEqualTo("(FIsTrade = 1) AND FUseOrgId.FNumber = '100'");
        assertThat(job.fieldKeys()).startsWith("FCUSTID", "FModifyDate", "FNumber", "FName", "FBANKCODE")
                .contains("FDocumentStatus", "FForbidStatus", "FSELLER.FNumber", "FSALDEPTID.FNumber", "FUseOrgId.FNumber");
        assertThat(job.entryFieldKeys()).containsExactlyInAnyOrder("FBANKCODE", "FCURRENCYID.FNumber");
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).startsWith("KINGDEE_FIELD_KEYS lacks fields notices depend on")
                .contains("FDocumentStatus", "FForbidStatus", "FSELLER.FNumber"));
        assertThat(job.pageSize()).isEqualTo(2000);
        assertThat(config.zone().getId()).isEqualTo("Asia/Shanghai");
        assertThat(config.site().auth()).isInstanceOf(KingdeeAuth.Password.class);
        assertThat(config.toString()).doesNotContain("s3cret-pass");
    }

    @Test
    void shouldFoldEveryFieldOfTheBankEntryWhateverItsSpellingAndTranslateFlattenedKeys() {
        Map<String, String> env = minimal();
        env.put("KINGDEE_FIELD_KEYS", "FName,FSELLER_FNumber,FCURRENCYID.FNumber,fbanktyperec.FName,FCOUNTRY1,FBankDetail_FNumber,FMysteryField");
        ExtractorConfig config = ExtractorConfig.from(env);
        JobSpec job = config.jobs().get(0);
        assertThat(job.fieldKeys()).contains("FSELLER.FNumber", "FBankDetail.FNumber").doesNotContain("FSELLER_FNumber");
        assertThat(job.entryFieldKeys()).containsExactlyInAnyOrder("FCURRENCYID.FNumber", "fbanktyperec.FName", "FCOUNTRY1",
                "FBankDetail.FNumber");
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("FSELLER_FNumber is read as FSELLER.FNumber",
                "FBankDetail_FNumber is read as FBankDetail.FNumber"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("the table of FMysteryField is not known"));
        assertThat(ExtractorConfig.from(minimal()).warnings()).isEmpty();
    }

    @Test
    void shouldDefaultToTheSeedsColumnsWithNamesDatesAndStatuses() {
        assertThat(CustomerFieldKeys.SEED).hasSize(52).doesNotHaveDuplicates();
        JobSpec job = ExtractorConfig.from(minimal()).jobs().get(0);
        assertThat(job.fieldKeys()).containsAll(CustomerFieldKeys.SEED)
                .contains("FSELLER.FName", "FSALDEPTID.FName", "FGroup.FName", "FForbidDate");
        assertThat(job.entryFieldKeys()).containsExactlyInAnyOrder("FCOUNTRY1.FNumber", "FBANKCODE", "FACCOUNTNAME",
                "FBankTypeRec.FNumber", "FTextBankDetail", "FBankDetail.FNumber", "FOpenAddressRec", "FCNAPS", "FCURRENCYID.FNumber",
                "FISDEFAULT1");
        assertThat(job.id()).isEqualTo("5867f8d847e804.BD_Customer.all");
        assertThat(job.fieldKeys()).contains("FCUSTID", "FMASTERID", "FModifyDate", "FCreateDate", "FApproveDate",
                "FDocumentStatus", "FForbidStatus", "FSELLER.FNumber", "FSALDEPTID.FNumber", "FUseOrgId.FNumber", "FBANKCODE");
    }

    @Test
    void shouldListEveryProblemAtOnceWithoutShowingSecrets() {
        Map<String, String> env = minimal();
        env.remove("KINGDEE_URL");
        env.put("KINGDEE_PAGE_SIZE", "5000");
        env.put("KINGDEE_AUTH", "signature_headers");
        env.put("KINGDEE_APP_ID", "123_short");
        env.put("KINGDEE_APP_SECRET", "app-secret-value");
        env.put("KINGDEE_ZONE", "Mars/Olympus");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ExtractorConfig.from(env));

        assertThat(e.problems()).anyMatch(p -> p.startsWith("KINGDEE_URL"))
                .anyMatch(p -> p.startsWith("KINGDEE_PAGE_SIZE"))
                .anyMatch(p -> p.startsWith("KINGDEE_APP_ID") && p.contains("32 characters"))
                .anyMatch(p -> p.startsWith("KINGDEE_ZONE"));
        assertThat(e.getMessage()).doesNotContain("app-secret-value");
    }

    @Test
    void shouldRequireTheSecretOfTheChosenMode() {
        Map<String, String> env = minimal();
        env.remove("KINGDEE_PASSWORD");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ExtractorConfig.from(env));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("KINGDEE_PASSWORD"));

        env.put("KINGDEE_AUTH", "app_secret");
        ConfigException e2 = catchThrowableOfType(ConfigException.class, () -> ExtractorConfig.from(env));
        assertThat(e2.problems()).anyMatch(p -> p.startsWith("KINGDEE_APP_ID")).anyMatch(p -> p.startsWith("KINGDEE_APP_SECRET"))
                .noneMatch(p -> p.startsWith("KINGDEE_PASSWORD"));
    }
}
