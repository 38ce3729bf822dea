package io.kdpipe.common.trail;

import java.time.Duration;

/**
 * How much of a trail is told when the question does not say ({@code limit}, {@code days}).
 *
 * @param maxEvents  the most recent events per answer (50)
 * @param window     how far back an answer looks (90 days; the trail topic's retention bounds it too)
 */
public record TrailSettings(int maxEvents, Duration window) {

    public static final int DEFAULT_MAX_EVENTS = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    public static final TrailSettings DEFAULTS = new TrailSettings(DEFAULT_MAX_EVENTS, DEFAULT_WINDOW);
}
