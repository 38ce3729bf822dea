package io.kdpipe.testkit;

import java.util.UUID;

/** Unique names, so tests sharing one broker never see each other's topics, groups or apps. */
public final class TestNames {

    private TestNames() {
    }

    /** {@code base} plus a short random suffix, valid as a topic name, group id or application id. */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A unique topic prefix ending in a dot, for services that take a topic prefix. */
    public static String topicPrefix() {
        return unique("t") + ".";
    }
}
