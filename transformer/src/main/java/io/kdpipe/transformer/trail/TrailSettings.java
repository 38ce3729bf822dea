package io.kdpipe.transformer.trail;

import java.time.Duration;

/**
 * How much of a trail is told.
 *
 * @param maxEvents  {@code KDPIPE_TRAIL_MAX_EVENTS}: the most recent events per answer (50)
 * @param window     {@code KDPIPE_TRAIL_WINDOW}: how far back an answer looks (90 days; the trail topic's
 *                   retention bounds it too)
 */
public record TrailSettings(int maxEvents, Duration window) {

    public static final int DEFAULT_MAX_EVENTS = 50;
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
}
