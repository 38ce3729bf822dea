package io.kdpipe.notifier.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.kdpipe.notifier.dingtalk.Throttle.Permit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The limiter on a fake clock. Calls are simulated serial senders (as the send loop is) whose
 * requests take a random time and reach the server at a random moment between send and answer;
 * what the server would count is checked from those arrivals, as the DingTalk sandbox's sliding
 * window counts them.
 */
class SharedRateLimiterTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final List<Duration> waits = new ArrayList<>();

    /** Waiting moves the fake clock on by the time asked for. */
    private SharedRateLimiter limiter(double rate, double fraction, int partitions) {
        return new SharedRateLimiter(rate, fraction, partitions, waits::add, clock::get,
                (monitor, nanos) -> clock.addAndGet(nanos));
    }

    /** One call as the server sees it. */
    private record Call(int sender, long start, long arrival, long end) {
    }

    @Test
    void shouldHoldTheShareOfOwnedPartitionsRoundedDownAndAtLeastOnePermit() {
        SharedRateLimiter l = limiter(20, 1.0, 6);
        assertThat(l.permits()).isEqualTo(20);
        assertThat(l.currentRate()).isEqualTo(20.0);
        l.share(3);
        assertThat(l.permits()).isEqualTo(10);
        l.share(1);
        assertThat(l.permits()).as("20 x 1/6 = 3.33, rounded down so the replicas' shares never add up past 20").isEqualTo(3);
        l.share(0);
        assertThat(l.permits()).as("never below one partition's worth").isEqualTo(3);
        l.share(6);
        assertThat(l.permits()).isEqualTo(20);

        assertThat(limiter(20, 0.5, 6).permits()).as("DINGTALK_RATE_HEADROOM=0.5 uses half the app's rate").isEqualTo(10);
        assertThat(limiter(20, 0.95, 1).permits()).isEqualTo(19);
        SharedRateLimiter slow = limiter(0.5, 1.0, 6);
        assertThat(slow.permits()).isEqualTo(1);
        assertThat(slow.currentRate()).isCloseTo(0.5, Offset.offset(1e-9));
    }

    @Test
    void shouldNeverLetTheServerSeeMoreThanTheShareInAnySecondWhateverTheJitter() {
        SharedRateLimiter l = limiter(20, 1.0, 6);
        Sim sim = new Sim(7, List.of(l), 1 * MS, 120 * MS);
        sim.run(3_000, List.of());

        assertThat(maxInAnySecond(sim.calls)).isLessThanOrEqualTo(20);
        assertThat(maxOverlappingAnySecond(sim.calls))
                .as("even counting each call wherever between send and answer it arrives").isLessThanOrEqualTo(20);
        List<Call> c = sim.calls;
        double rate = (c.size() - 1) / ((c.get(c.size() - 1).start() - c.get(0).start()) / (double) SECOND);
        assertThat(rate).as("one call at a time, ~60 ms each: the sender's own limit, ~16.5/s, is the bound").isGreaterThan(15.5);
        for (int i = 1; i < sim.calls.size(); i++) {
            assertThat(sim.calls.get(i).start() - sim.calls.get(i - 1).start())
                    .as("starts are spaced by half of 1/20 s").isGreaterThanOrEqualTo(25 * MS);
        }
    }

    @Test
    void shouldReachTheLimitWithinTheCallsLatency() {
        SharedRateLimiter l = limiter(20, 1.0, 6);
        Sim sim = new Sim(11, List.of(l), 4 * MS, 6 * MS);
        sim.run(2_000, List.of());

        List<Call> c = sim.calls;
        double seconds = (c.get(c.size() - 1).start() - c.get(0).start()) / (double) SECOND;
        double rate = (c.size() - 1) / seconds;
        assertThat(rate).as("20 permits, each back one second after a ~5 ms call: 20 / 1.005 s").isBetween(19.8, 20.0);
        assertThat(maxInAnySecond(c)).isEqualTo(20);
    }

    @Test
    @SuppressWarnings("try")
    void shouldSpaceABacklogInsteadOfSendingItBackToBack() {
        SharedRateLimiter l = limiter(20, 1.0, 6);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try (Permit p = l.acquire()) {
                starts.add(clock.get());
            }
        }
        assertThat(starts.get(19) - starts.get(0)).as("20 ready permits still leave over 19 x 25 ms").isEqualTo(19 * 25 * MS);
        assertThat(waits).hasSize(20);
        assertThat(waits.get(0)).isZero();
        assertThat(waits.get(1)).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    @SuppressWarnings("try")
    void shouldCountACallUntilOneSecondAfterItEnded() {
        SharedRateLimiter l = limiter(2, 1.0, 1);
        Permit a = l.acquire();
        clock.addAndGet(300 * MS); // a slow call
        a.close();
        a.close(); // a second close changes nothing
        long aEnded = clock.get();
        try (Permit b = l.acquire()) {
            clock.addAndGet(300 * MS);
        }
        long bEnded = clock.get();
        try (Permit c = l.acquire()) {
            assertThat(clock.get()).as("the first permit is back one second after the first call ended").isEqualTo(aEnded + SECOND);
        }
        try (Permit d = l.acquire()) {
            assertThat(clock.get()).isEqualTo(bEnded + SECOND);
        }
        assertThat(waits.get(2)).isEqualTo(Duration.ofNanos(aEnded + SECOND - bEnded));
    }

    @Test
    @SuppressWarnings("try")
    void shouldWaitForAPermitInFlightAndGoOneSecondAfterItsCallEnds() throws Exception {
        // a second thread waits on the real monitor while the fake clock stands still
        SharedRateLimiter l = new SharedRateLimiter(1, 1.0, 1, waits::add, clock::get,
                (monitor, nanos) -> TimeUnit.MILLISECONDS.timedWait(monitor, 5));
        Permit held = l.acquire();
        CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
            try (Permit p = l.acquire()) {
                return clock.get();
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());
        clock.addAndGet(40 * MS);
        held.close();
        long ended = clock.get();
        clock.addAndGet(SECOND - 1);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());
        clock.addAndGet(1);
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(ended + SECOND);
    }

    @Test
    void shouldGiveUpAfterAMinuteWithoutAPermit() {
        SharedRateLimiter l = limiter(1, 1.0, 1);
        Permit leaked = l.acquire();
        assertThatThrownBy(l::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("PT1M");
        leaked.close();
    }

    @Test
    @SuppressWarnings("try")
    void shouldUseASmallerShareAtOnceAndALargerOneOnlyASecondAfterTheRebalance() {
        SharedRateLimiter l = limiter(20, 1.0, 6);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            held.add(l.acquire());
        }
        l.share(3); // 10 permits while 20 calls are under way
        clock.addAndGet(100 * MS);
        held.forEach(Permit::close);
        long ended = clock.get();
        int within = 0;
        long t0 = -1;
        while (true) {
            Permit p = l.acquire();
            if (t0 < 0) {
                t0 = clock.get();
            }
            if (clock.get() >= t0 + SECOND) {
                p.close();
                break;
            }
            within++;
            p.close();
        }
        assertThat(t0).isEqualTo(ended + SECOND);
        assertThat(within).as("only 10 of the 20 permits came back").isEqualTo(10);

        long rebalance = clock.get();
        l.share(6);
        try (Permit p = l.acquire()) {
            assertThat(clock.get()).as("no call in the second after the rebalance").isGreaterThanOrEqualTo(rebalance + SECOND);
        }
        Sim sim = new Sim(3, List.of(l), 1 * MS, 30 * MS);
        sim.run(200, List.of());
        assertThat(maxOverlappingAnySecond(sim.calls)).isLessThanOrEqualTo(20);
        assertThat(maxInAnySecond(sim.calls)).as("the whole share is back").isGreaterThanOrEqualTo(19);
    }

    @Test
    void shouldKeepTwoReplicasTogetherWithinTheAppsRateWhenAPartitionShareMoves() {
        // replica A owns all 6 partitions and works through a backlog; B starts, the group rebalances
        // (A gives up 3 partitions, then B takes them), and both go on at full speed
        SharedRateLimiter a = limiter(20, 1.0, 6);
        a.share(6);
        SharedRateLimiter b = limiter(20, 1.0, 6);
        Sim sim = new Sim(5, List.of(a, b), 1 * MS, 60 * MS);
        sim.idle(1);
        long t = clock.get();
        sim.run(1_500, List.of(
                new Sim.Event(t + 3 * SECOND + 123 * MS, () -> a.share(3)),
                new Sim.Event(t + 3 * SECOND + 124 * MS, () -> b.share(3)),
                new Sim.Event(t + 3 * SECOND + 124 * MS, () -> sim.wake(1)),
                new Sim.Event(t + 9 * SECOND + 7 * MS, () -> b.share(1)),
                new Sim.Event(t + 9 * SECOND + 8 * MS, () -> a.share(5))));

        assertThat(sim.calls).extracting(Call::sender).contains(0, 1);
        assertThat(maxOverlappingAnySecond(sim.calls)).as("A and B together, across both rebalances").isLessThanOrEqualTo(20);
        assertThat(maxInAnySecond(sim.calls)).isGreaterThanOrEqualTo(18);
    }

    // ---- what the server sees

    /** Most arrivals within any one second: what a sliding window like the sandbox's counts. */
    private static int maxInAnySecond(List<Call> calls) {
        List<Long> at = calls.stream().map(Call::arrival).sorted().toList();
        int max = 0;
        int from = 0;
        for (int i = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(from) >= SECOND) {
                from++;
            }
            max = Math.max(max, i - from + 1);
        }
        return max;
    }

    /** Most calls whose send-to-answer span touches any one-second window: the worst any jitter could do. */
    private static int maxOverlappingAnySecond(List<Call> calls) {
        List<Call> byStart = calls.stream().sorted(Comparator.comparingLong(Call::start)).toList();
        int max = 0;
        // the count only grows when the window's end reaches a call's start: try each such window
        for (Call first : byStart) {
            long windowEnd = first.start();
            long windowStart = windowEnd - SECOND + 1;
            int n = 0;
            for (Call c : byStart) {
                if (c.start() > windowEnd) {
                    break;
                }
                if (c.end() >= windowStart) {
                    n++;
                }
            }
            max = Math.max(max, n);
        }
        return max;
    }

    /** Serial senders with a backlog each, one per limiter, driven on the fake clock. */
    private final class Sim {

        record Event(long at, Runnable action) {
        }

        private final SplittableRandom random;
        private final List<SharedRateLimiter> limiters;
        private final long minLatency;
        private final long maxLatency;
        private final List<Call> calls = new ArrayList<>();
        private final boolean[] idle;

        Sim(long seed, List<SharedRateLimiter> limiters, long minLatency, long maxLatency) {
            this.random = new SplittableRandom(seed);
            this.limiters = limiters;
            this.minLatency = minLatency;
            this.maxLatency = maxLatency;
            this.idle = new boolean[limiters.size()];
        }

        void idle(int sender) {
            idle[sender] = true;
        }

        void wake(int sender) {
            idle[sender] = false;
        }

        void run(int count, List<Event> events) {
            List<Event> pending = new ArrayList<>(events);
            int n = limiters.size();
            Permit[] permit = new Permit[n];
            long[] busyUntil = new long[n];
            long[] start = new long[n];
            long[] arrival = new long[n];
            while (calls.size() < count) {
                long next = Long.MAX_VALUE;
                int who = -1;
                for (int s = 0; s < n; s++) {
                    long at = permit[s] != null ? busyUntil[s]
                            : idle[s] ? Long.MAX_VALUE : saturated(clock.get(), limiters.get(s).nanosUntilFree());
                    if (at < next) {
                        next = at;
                        who = s;
                    }
                }
                Event event = pending.isEmpty() ? null : pending.get(0);
                if (event != null && event.at() <= next) {
                    clock.set(Math.max(clock.get(), event.at()));
                    pending.remove(0).action().run();
                    continue;
                }
                clock.set(Math.max(clock.get(), next));
                if (permit[who] != null) {
                    permit[who].close();
                    permit[who] = null;
                    calls.add(new Call(who, start[who], arrival[who], clock.get()));
                } else {
                    permit[who] = limiters.get(who).acquire();
                    long latency = random.nextLong(minLatency, maxLatency + 1);
                    start[who] = clock.get();
                    arrival[who] = start[who] + random.nextLong(latency + 1);
                    busyUntil[who] = start[who] + latency;
                }
            }
        }

        private static long saturated(long now, long wait) {
            return wait == Long.MAX_VALUE ? Long.MAX_VALUE : now + Math.max(0, wait);
        }
    }
}
