package io.kdpipe.sandbox.kingdee;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People at work in the sandbox's Kingdee: every interval, a few saves — mostly edits, some new
 * customers, approvals, forbids and re-enables, and now and then a save that commits late. For the
 * local run and load tests; close it to stop.
 */
public final class ActivitySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActivitySimulator.class);

    private final CustomerTable table;
    private final List<String> useOrgs;
    private final int perTick;
    private final Random random;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong changes = new AtomicLong();

    ActivitySimulator(CustomerTable table, List<String> useOrgs, Duration interval, int perTick, long seed) {
        this.table = table;
        this.useOrgs = useOrgs;
        this.perTick = perTick;
        this.random = new Random(seed);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kingdee-sandbox-activity");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Saves made so far. */
    public long changes() {
        return changes.get();
    }

    private void tick() {
        try {
            for (int i = 0; i < perTick; i++) {
                List<Long> ids = table.ids();
                long id = ids.get(random.nextInt(ids.size()));
                int roll = random.nextInt(100);
                if (roll < 10) {
                    table.create(useOrgs.get(random.nextInt(useOrgs.size())));
                } else if (roll < 20) {
                    table.approve(id);
                } else if (roll < 24) {
                    table.forbid(id);
                } else if (roll < 26) {
                    table.enable(id);
                } else if (roll < 30) {
                    table.lateCommit(id, Duration.ofSeconds(5 + random.nextInt(55)));
                } else {
                    table.edit(id);
                }
                changes.incrementAndGet();
            }
        } catch (RuntimeException e) {
            log.warn("Sandbox activity failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
