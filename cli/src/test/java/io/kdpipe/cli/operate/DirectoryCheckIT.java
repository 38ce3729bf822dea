package io.kdpipe.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.SandboxDepartment;
import io.kdpipe.sandbox.dingtalk.DingTalkSandboxOptions;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.testkit.KafkaBroker;
import io.kdpipe.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory commands against the DingTalk sandbox's free contacts API on a real broker: userids
 * checked on import, departments resolved by name.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DirectoryCheckIT {

    @Test
    void importChecksEveryUseridWithTheContactsApiAndMarksTheDepartedAndTheUnknown(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                     .user(SandboxUser.of("zhangwei", "张伟", "13800000001"))
                     .user(SandboxUser.of("wangwu", "王五", "13800000003")).build())) {
            Path csv = dir.resolve("salespeople.csv");
            Files.writeString(csv, """
                    number,name,mobile,userid
                    XSY007,张伟,13800000001,zhangwei
                    XSY010,王五,13800000003,wangwu
                    XSY011,赵六,13800000004,ghost0000001
                    XSY012,李四,13800000005,
                    """, StandardCharsets.UTF_8);
            // the first import checks everyone: all found but the ghost
            Cli.Result first = Cli.run(withDingTalk(fx, sandbox), "directory", "import", csv.toString());
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(first.out()).contains("Checked 3 userid(s)").contains("2 active, 0 departed, 1 unknown")
                    .containsPattern("UNKNOWN\\s+XSY011\\s+赵六\\s+ghost0000001");
            Map<String, DirectoryEntry> d = fx.directory();
            assertThat(d.get("person:XSY007").status()).isEqualTo(DirectoryEntry.Status.ACTIVE);
            assertThat(d.get("person:XSY007").checkedAt()).isNotNull();
            assertThat(d.get("person:XSY010").status()).isEqualTo(DirectoryEntry.Status.ACTIVE);
            assertThat(d.get("person:XSY011").status()).isEqualTo(DirectoryEntry.Status.UNKNOWN);
            assertThat(d.get("person:XSY011").checkedAt()).isNotNull();
            assertThat(d.get("person:XSY012").status()).as("no userid: nothing to check").isEqualTo(DirectoryEntry.Status.UNCHECKED);
            long contactsAfterFirst = sandbox.contactsCalls();
            assertThat(contactsAfterFirst).isGreaterThanOrEqualTo(3);

            // 王五 leaves; the next import finds the member it knew gone
            sandbox.depart("wangwu");
            Cli.Result second = Cli.run(withDingTalk(fx, sandbox), "directory", "import", csv.toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(second.out()).contains("1 active, 1 departed, 1 unknown")
                    .containsPattern("DEPARTED\\s+XSY010\\s+王五\\s+wangwu");
            assertThat(fx.directory().get("person:XSY010").status()).isEqualTo(DirectoryEntry.Status.DEPARTED);
            assertThat(sandbox.stats().countedCalls()).as("contacts calls are free").isZero();

            // --no-check, and no credentials: nothing asked, new userids start unchecked
            Files.writeString(csv, "XSY010,王五,13800000013,wangwu.new\n", StandardCharsets.UTF_8);
            long before = sandbox.contactsCalls();
            Cli.Result skipped = Cli.run(withDingTalk(fx, sandbox), "directory", "import", "--no-check", csv.toString());
            assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
            assertThat(skipped.out()).contains("Userids not checked (--no-check)");
            assertThat(sandbox.contactsCalls()).isEqualTo(before);
            assertThat(fx.directory().get("person:XSY010").status()).isEqualTo(DirectoryEntry.Status.UNCHECKED);
            Cli.Result noCredentials = fx.run("directory", "import", csv.toString());
            assertThat(noCredentials.out()).contains("Userids not checked (no DINGTALK_APP_KEY and DINGTALK_APP_SECRET)");
            assertThat(sandbox.contactsCalls()).isEqualTo(before);
        }
    }

    @Test
    void departmentsWithoutAnIdAreResolvedByNameAndAMissingOrAmbiguousNameIsReported(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        try (OperateFixture fx = new OperateFixture(broker);
             DingTalkSandbox sandbox = DingTalkSandbox.start(DingTalkSandboxOptions.builder()
                     .department(new SandboxDepartment(100, "销售中心", 1L, List.of()))
                     .department(new SandboxDepartment(4021, "华东销售部", 100L, List.of()))
                     .department(new SandboxDepartment(4022, "华南销售部", 100L, List.of()))
                     .department(new SandboxDepartment(200, "服务中心", 1L, List.of()))
                     .department(new SandboxDepartment(5001, "综合部", 100L, List.of()))
                     .department(new SandboxDepartment(5002, "综合部", 200L, List.of())).build())) {
            Path csv = dir.resolve("departments.csv");
            Files.writeString(csv, """
                    number,name,deptid,manager_userid
                    BM0301,华东销售部,,user-0003
                    BM0302,华南销售部,4022,
                    BM0303,华北销售部,,
                    BM0304,综合部,,
                    """, StandardCharsets.UTF_8);
            Cli.Result imported = fx.run("directory", "import", "--departments", csv.toString());
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            assertThat(imported.out()).contains("3 without a DingTalk department id: run 'kdpipe directory resolve --departments'");
            assertThat(fx.directory().get("department:BM0301").resolved()).isFalse();

            Cli.Result dry = Cli.run(withDingTalk(fx, sandbox), "directory", "resolve", "--departments", "--dry-run");
            assertThat(dry.out()).contains("3 department(s) to look up by name").contains("nothing was written");
            assertThat(fx.directory().get("department:BM0301").resolved()).isFalse();

            Cli.Result resolved = Cli.run(withDingTalk(fx, sandbox), "directory", "resolve", "--departments");
            assertThat(resolved.exitCode()).as(resolved.toString()).isEqualTo(ExitCodes.INCOMPLETE);
            assertThat(resolved.out()).containsPattern("resolved\\s+BM0301\\s+华东销售部\\s+-> 4021")
                    .containsPattern("NOT FOUND\\s+BM0303\\s+华北销售部")
                    .containsPattern("AMBIGUOUS\\s+BM0304\\s+综合部: DingTalk departments 5001, 5002")
                    .contains("Wrote 1 department id(s)").contains("2 department(s) not resolved");
            Map<String, DirectoryEntry> d = fx.directory();
            assertThat(d.get("department:BM0301").deptId()).isEqualTo(4021L);
            assertThat(d.get("department:BM0301").managerUserId()).as("the manager stays").isEqualTo("user-0003");
            assertThat(d.get("department:BM0302").deptId()).isEqualTo(4022L);
            assertThat(d.get("department:BM0303").resolved()).isFalse();
            assertThat(d.get("department:BM0304").resolved()).isFalse();
            assertThat(sandbox.stats().countedCalls()).as("contacts calls are free").isZero();

            // importing the same file again keeps the id found by name
            Cli.Result again = fx.run("directory", "import", "--departments", csv.toString());
            assertThat(again.out()).contains("2 without a DingTalk department id");
            assertThat(fx.directory().get("department:BM0301").deptId()).isEqualTo(4021L);
        }
    }

    private static Map<String, String> withDingTalk(OperateFixture fx, DingTalkSandbox sandbox) {
        Map<String, String> env = new HashMap<>(fx.env);
        env.putAll(sandbox.serviceSettings());
        return env;
    }
}
