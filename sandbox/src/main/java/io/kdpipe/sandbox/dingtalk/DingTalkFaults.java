package io.kdpipe.sandbox.dingtalk;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault switches of one sandbox, set by a test while the sandbox runs. They apply to the
 * message APIs ({@code asyncsend_v2}, {@code getsendresult}); {@code gettoken} stays healthy.
 */
public final class DingTalkFaults {

    private final Random random = new Random(42);
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private double probability;
    private List<Fault> randomKinds = List.of();
    private Fault always;
    private long invalidateTokenEvery;
    private Duration hang = Duration.ofSeconds(5);
    private final AtomicLong injected = new AtomicLong();

    DingTalkFaults() {
    }

    /** Each message call fails with probability {@code p}, with one of {@code kinds} picked at random. */
    public synchronized DingTalkFaults random(double p, Fault... kinds) {
        this.probability = p;
        this.randomKinds = List.of(kinds);
        return this;
    }

    /** The next calls fail with these faults, in order. */
    public synchronized DingTalkFaults next(Fault... faults) {
        scripted.addAll(List.of(faults));
        return this;
    }

    /** Every message call fails with this fault until {@link #clear()}. */
    public synchronized DingTalkFaults always(Fault fault) {
        this.always = fault;
        return this;
    }

    /** Invalidates the current access token after every {@code n} {@code asyncsend_v2} calls; 0 turns it off. */
    public synchronized DingTalkFaults invalidateTokenEvery(long n) {
        this.invalidateTokenEvery = n;
        return this;
    }

    /** How long a hanging answer is held back. */
    public synchronized DingTalkFaults hangFor(Duration duration) {
        this.hang = duration;
        return this;
    }

    /** Turns every fault off. */
    public synchronized DingTalkFaults clear() {
        scripted.clear();
        probability = 0;
        randomKinds = List.of();
        always = null;
        invalidateTokenEvery = 0;
        return this;
    }

    /** DingTalkFaults injected so far. */
    public long injected() {
        return injected.get();
    }

    synchronized Fault pick() {
        Fault f = scripted.poll();
        if (f == null) {
            f = always;
        }
        if (f == null && probability > 0 && !randomKinds.isEmpty() && random.nextDouble() < probability) {
            f = randomKinds.get(random.nextInt(randomKinds.size()));
        }
        if (f != null) {
            injected.incrementAndGet();
        }
        return f;
    }

    synchronized long invalidateTokenEveryCalls() {
        return invalidateTokenEvery;
    }

    synchronized Duration hang() {
        return hang;
    }
}
