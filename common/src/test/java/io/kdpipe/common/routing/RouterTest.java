package io.kdpipe.common.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.config.ConfigSource;
import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.contract.Notice;
import org.junit.jupiter.api.Test;

/** The routing policy applied to one notice's inputs and a directory. */
class RouterTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private final Map<String, DirectoryEntry> directory = new HashMap<>();

    private static Router router(Map<String, String> settings) {
        ConfigReader r = new ConfigReader(ConfigSource.of(settings));
        RoutingPolicy policy = RoutingPolicy.read(r);
        r.validate();
        return new Router(policy);
    }

    private void person(String number, String userId, DirectoryEntry.Status status) {
        DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, number, "名" + number, null, userId,
                null, T, status, status == DirectoryEntry.Status.UNCHECKED ? null : T, null);
        directory.put(e.key(), e);
    }

    private void department(String number, Long deptId, String manager) {
        DirectoryEntry e = new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, number, "部" + number, null,
                null, deptId, T, DirectoryEntry.Status.UNCHECKED, null, manager);
        directory.put(e.key(), e);
    }

    private Router.Routed route(Router router, String seller, String previous, String dept) {
        return router.route(new Notice.Routing(Notice.Kind.CHANGED, seller, previous, dept, List.of()), directory::get);
    }

    @Test
    void shouldTellTheOldAndTheNewSalespersonAndSkipADepartedOldOneWithoutAFallback() {
        person("XSY014", "wangfang", DirectoryEntry.Status.ACTIVE);
        person("XSY022", "liqiang", DirectoryEntry.Status.UNCHECKED);
        Router.Routed both = route(router(Map.of()), "XSY014", "XSY022", "BM01");
        assertThat(both.recipients().userIds()).containsExactly("liqiang", "wangfang");
        assertThat(both.gaps()).as("the department is not a target by default, so not a gap").isEmpty();

        person("XSY022", "liqiang", DirectoryEntry.Status.DEPARTED);
        Router.Routed newOnly = route(router(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01")), "XSY014", "XSY022", "BM01");
        assertThat(newOnly.recipients().userIds()).containsExactly("wangfang");
        assertThat(newOnly.fallbackUsed()).as("the new salesperson was reached").isFalse();
        assertThat(newOnly.gaps()).containsExactly(new Router.Gap(DirectoryEntry.Type.PERSON, "XSY022", Router.GapReason.DEPARTED));
        assertThat(newOnly.routing().notes()).singleElement().asString()
                .isEqualTo("previous salesperson XSY022 (名XSY022) not sent to: DingTalk's contacts say userid liqiang has left "
                        + "the organisation (checked 2026-12-01T00:00:00Z)");
    }

    @Test
    void shouldTakeTheFallbackStepsInOrderUntilOneReachesSomeone() {
        person("XSY007", "ghost01", DirectoryEntry.Status.UNKNOWN);
        Router managerFirst = router(Map.of("KDPIPE_RECIPIENTS_FALLBACK", "admin01,dept:900"));

        department("BM01", 4021L, null);
        Router.Routed noManager = route(managerFirst, "XSY007", null, "BM01");
        assertThat(noManager.recipients().userIds()).containsExactly("admin01");
        assertThat(noManager.recipients().deptIds()).containsExactly("900");
        assertThat(noManager.routing().notes()).containsExactly(
                "salesperson XSY007 (名XSY007) not sent to: DingTalk's contacts do not know userid ghost01 (checked 2026-12-01T00:00:00Z)",
                "department BM01 (部BM01) has no manager in the directory", "fallback: KDPIPE_RECIPIENTS_FALLBACK");

        department("BM01", 4021L, "mgr01");
        assertThat(route(managerFirst, "XSY007", null, "BM01").recipients().userIds()).containsExactly("mgr01");

        Router wholeDepartment = router(Map.of("KDPIPE_ROUTE_FALLBACK", "department"));
        Router.Routed dept = route(wholeDepartment, "XSY007", null, "BM01");
        assertThat(dept.recipients().deptIds()).containsExactly("4021");
        assertThat(dept.fallbackUsed()).isTrue();

        Router.Routed nobody = route(router(Map.of("KDPIPE_ROUTE_FALLBACK", "none")), "XSY007", null, "BM02");
        assertThat(nobody.recipients().isEmpty()).isTrue();
        assertThat(nobody.routing().notes()).contains("no fallback is configured (KDPIPE_ROUTE_FALLBACK)");
        assertThat(nobody.recipients().unresolved()).containsExactly("person:XSY007");
    }

    @Test
    void shouldNameAMissingDepartmentOnlyWhenTheRouteNeedsIt() {
        Router.Routed missing = route(router(Map.of("KDPIPE_ROUTE_CHANGED", "department")), "XSY007", null, "BM09");
        assertThat(missing.gaps()).containsExactly(new Router.Gap(DirectoryEntry.Type.DEPARTMENT, "BM09", Router.GapReason.MISSING));
        assertThat(missing.recipients().unresolved()).containsExactly("department:BM09");
    }
}
