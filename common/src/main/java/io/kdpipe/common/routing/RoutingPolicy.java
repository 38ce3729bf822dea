package io.kdpipe.common.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kdpipe.common.config.ConfigReader;
import io.kdpipe.common.contract.Notice;

/**
 * Who a notice of each kind goes to, read from config by the transformer (which routes every notice)
 * and by {@code kdpipe redrive --reroute} / {@code kdpipe replay --reroute} (which route one again).
 *
 * @param routes        {@code KDPIPE_ROUTE_<KIND>}: the directory targets of each kind, in order
 * @param fallback      {@code KDPIPE_ROUTE_FALLBACK}: tried in order when no target of the kind
 *                      reaches anyone; the first step that reaches someone is taken
 * @param fixed         {@code KDPIPE_RECIPIENTS_<KIND>}: fixed recipients always added to the kind
 * @param fallbackList  {@code KDPIPE_RECIPIENTS_FALLBACK}: the {@link Step#LIST} fallback step
 */
public record RoutingPolicy(Map<Notice.Kind, List<Target>> routes, List<Step> fallback,
                            Map<Notice.Kind, RecipientList> fixed, RecipientList fallbackList) {

    /** A directory entry a notice can go to. */
    public enum Target {
        /** The row's salesperson ({@code FSELLER.FNumber}). */
        SALESPERSON,
        /** On a change of salesperson, the one before (only known while {@code FSELLER_FNumber} is watched). */
        PREVIOUS_SALESPERSON,
        /** The whole sales department ({@code FSALDEPTID.FNumber}), by its DingTalk department id. */
        DEPARTMENT,
        /** The sales department's manager, as imported with the department. */
        DEPARTMENT_MANAGER
    }

    /** One step of the fallback. */
    public enum Step { DEPARTMENT_MANAGER, DEPARTMENT, LIST }

    public static final String DEFAULT_ROUTE = "salesperson,previous-salesperson";
    public static final String DEFAULT_FALLBACK = "department-manager,list";

    public RoutingPolicy {
        routes = Map.copyOf(routes);
        fallback = List.copyOf(fallback);
        fixed = Map.copyOf(fixed);
    }

    /** The routes of a kind; a digest has none of its own (its items were routed). */
    public List<Target> route(Notice.Kind kind) {
        return routes.getOrDefault(kind, List.of());
    }

    public RecipientList fixed(Notice.Kind kind) {
        return fixed.getOrDefault(kind, RecipientList.EMPTY);
    }

    /** Reads every routing key; problems are collected in {@code r} for one report. */
    public static RoutingPolicy read(ConfigReader r) {
        Map<Notice.Kind, List<Target>> routes = new EnumMap<>(Notice.Kind.class);
        Map<Notice.Kind, RecipientList> fixed = new EnumMap<>(Notice.Kind.class);
        for (Notice.Kind kind : Notice.Kind.values()) {
            if (kind == Notice.Kind.DIGEST) {
                continue;
            }
            String name = kind.name();
            routes.put(kind, tokens(r, "KDPIPE_ROUTE_" + name, DEFAULT_ROUTE, Target.class,
                    "directory targets of " + name + " notices, in order: salesperson, previous-salesperson, department, "
                            + "department-manager; none: only the fixed list"));
            fixed.put(kind, recipients(r, "KDPIPE_RECIPIENTS_" + name, "fixed recipients of " + name
                    + " notices, always added: userids and dept:<id>"));
        }
        List<Step> fallback = tokens(r, "KDPIPE_ROUTE_FALLBACK", DEFAULT_FALLBACK, Step.class,
                "tried in order when no directory target of a notice reaches anyone (not found, no DingTalk id, departed "
                        + "or unknown user): department-manager, department, list (KDPIPE_RECIPIENTS_FALLBACK), or none; "
                        + "a notice that reaches nobody is dead-lettered as NO_RECIPIENTS");
        RecipientList fallbackList = recipients(r, "KDPIPE_RECIPIENTS_FALLBACK",
                "recipients of the 'list' fallback step: userids and dept:<id>");
        return new RoutingPolicy(routes, fallback, fixed, fallbackList);
    }

    private static <E extends Enum<E>> List<E> tokens(ConfigReader r, String key, String defaultValue, Class<E> type,
                                                      String meaning) {
        List<E> out = new ArrayList<>();
        for (String token : r.list(key, defaultValue, meaning)) {
            String name = token.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.equals("NONE")) {
                continue;
            }
            E value = null;
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    value = e;
                }
            }
            if (value == null) {
                r.check(false, key, "'" + token + "' is not one of " + names(type) + ", none");
            } else if (!out.contains(value)) {
                out.add(value);
            }
        }
        return out;
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(", ", names);
    }

    private static RecipientList recipients(ConfigReader r, String key, String meaning) {
        List<String> entries = r.list(key, "", meaning);
        RecipientList.problems(entries).forEach(p -> r.check(false, key, p));
        return RecipientList.parse(entries);
    }
}
