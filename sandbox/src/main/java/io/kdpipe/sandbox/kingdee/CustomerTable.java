package io.kdpipe.sandbox.kingdee;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The sandbox's {@code BD_Customer} table: one row per customer per use-organisation. Tests change
 * it while an extractor reads it: create, edit, approve, forbid, and late-committed changes whose
 * {@code FModifyDate} lies in the past (a save that committed after later saves were visible).
 *
 * <p>Every method is safe to call from any thread while the server answers queries.
 */
public final class CustomerTable {

    /** The order of {@code FModifyDate DESC} over rows listed by id (a stable sort keeps ties by id). */
    static final Comparator<SandboxCustomer> NEWEST_FIRST = Comparator
            .comparing(SandboxCustomer::modifyDate, Comparator.nullsLast(Comparator.<LocalDateTime>reverseOrder()))
            .thenComparingLong(SandboxCustomer::id);

    private final TreeMap<Long, SandboxCustomer> rows = new TreeMap<>();
    /** The same rows, newest {@code FModifyDate} first (none last), then by id: {@code FModifyDate DESC} pages walk it. */
    private final TreeSet<SandboxCustomer> byModifyDateDesc = new TreeSet<>(NEWEST_FIRST);
    private final CustomerGenerator generator;
    private final Clock clock;
    private final List<String> useOrgs;
    private long nextId = 100_001;
    private long nextNumber = 1;

    CustomerTable(KingdeeSandboxOptions options) {
        this.generator = new CustomerGenerator(options.seed());
        this.clock = options.clock();
        this.useOrgs = options.useOrgs();
        seed(options.customers());
    }

    /** The server's local time now, at Kingdee's millisecond precision. */
    public LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Seeds {@code count} customers created over the past days. Some rows share an
     * {@code FModifyDate} (a bulk import saves many in the same millisecond); about one master in
     * five is also distributed to a second use-organisation, sharing its {@code FMASTERID}.
     */
    private synchronized void seed(int count) {
        LocalDateTime start = now().minusDays(30);
        long stepMs = count == 0 ? 0 : Math.max(1, Duration.ofDays(29).toMillis() / count);
        LocalDateTime at = start;
        SandboxCustomer previous = null;
        for (int i = 0; i < count; i++) {
            if (i % 7 != 3) { // every seventh row shares the previous row's timestamp
                at = at.plus(stepMs, ChronoUnit.MILLIS);
            }
            String org = useOrgs.get(i % useOrgs.size());
            if (previous != null && i % 5 == 4 && !org.equals(previous.useOrg())) {
                SandboxCustomer copy = generator.customer(nextId++, (Long) previous.get("FMASTERID"), previous.number(), org,
                        (String) previous.get("FCreateOrgId.FNumber"), at);
                Map<String, Object> same = new LinkedHashMap<>(copy.header());
                same.put("FName", previous.name());
                copy = new SandboxCustomer(copy.id(), same, copy.bankAccounts());
                put(copy);
                previous = copy;
                continue;
            }
            long id = nextId++;
            SandboxCustomer c = generator.customer(id, id, nextNumber(), org, useOrgs.get(0), at);
            if (i % 3 != 0) {
                c = c.with(Map.of("FDocumentStatus", "C", "FApproveDate", at, "FApproverId", 16394L));
            }
            put(c);
            previous = c;
        }
    }

    /** Creates a customer in {@code useOrg} now (status A, created), and returns it. */
    public synchronized SandboxCustomer create(String useOrg) {
        long id = nextId++;
        SandboxCustomer c = generator.customer(id, id, nextNumber(), useOrg, useOrgs.get(0), now());
        put(c);
        return c;
    }

    /** Makes an ordinary edit (salesperson, address, phone or name) now. */
    public synchronized SandboxCustomer edit(long id) {
        return editAt(id, generator.randomEdit(get(id)), now());
    }

    /** Sets the given canonical fields now. */
    public synchronized SandboxCustomer edit(long id, Map<String, Object> changes) {
        return editAt(id, changes, now());
    }

    /** Saves an ordinary edit with the given {@code FModifyDate} (e.g. one shared with other saves). */
    public synchronized SandboxCustomer editAt(long id, LocalDateTime modifyDate) {
        return editAt(id, generator.randomEdit(get(id)), modifyDate);
    }

    /** Sets the given canonical fields, stamping {@code FModifyDate} with {@code modifyDate}. */
    public synchronized SandboxCustomer editAt(long id, Map<String, Object> changes, LocalDateTime modifyDate) {
        Map<String, Object> all = new LinkedHashMap<>(changes);
        all.put("FModifyDate", modifyDate.truncatedTo(ChronoUnit.MILLIS));
        SandboxCustomer c = get(id).with(all);
        put(c);
        return c;
    }

    /**
     * One save of many customers, as an import or a re-assignment of every customer of a salesperson
     * makes: the same changes and one {@code FModifyDate} for all, visible to readers all at once.
     */
    public synchronized List<SandboxCustomer> saveAll(Collection<Long> ids, Map<String, Object> changes, LocalDateTime modifyDate) {
        List<SandboxCustomer> saved = new ArrayList<>(ids.size());
        for (long id : ids) {
            saved.add(editAt(id, changes, modifyDate));
        }
        return saved;
    }

    /**
     * A save now of a customer whose {@code field} (a header field, e.g. {@code FModifyDate} or
     * {@code FCUSTID}) Kingdee then writes as {@code wireText} instead of its stored value, until the
     * customer's next save. Kingdee types both key columns (an integer id, a date-time), so the stored
     * value still orders and filters the rows; only its text is what a reader cannot read (a date in
     * another format or out of range, an id a gateway rewrote).
     */
    public synchronized SandboxCustomer saveServedAs(long id, String field, String wireText) {
        return saveServedAs(id, field, wireText, now());
    }

    /** As {@link #saveServedAs(long, String, String)}, stamping {@code FModifyDate} with {@code modifyDate}. */
    public synchronized SandboxCustomer saveServedAs(long id, String field, String wireText, LocalDateTime modifyDate) {
        return editAt(id, Map.of(SandboxCustomer.wireKey(field), wireText), modifyDate);
    }

    /**
     * A save that began {@code ago} before now and commits only now: its {@code FModifyDate} lies in
     * the past, behind changes a reader may already have seen.
     */
    public synchronized SandboxCustomer lateCommit(long id, Duration ago) {
        return editAt(id, now().minus(ago));
    }

    public synchronized SandboxCustomer approve(long id) {
        LocalDateTime now = now();
        return editAt(id, Map.of("FDocumentStatus", "C", "FApproveDate", now, "FApproverId", 16394L), now);
    }

    public synchronized SandboxCustomer forbid(long id) {
        return edit(id, Map.of("FForbidStatus", "B"));
    }

    public synchronized SandboxCustomer enable(long id) {
        return edit(id, Map.of("FForbidStatus", "A"));
    }

    public synchronized SandboxCustomer get(long id) {
        SandboxCustomer c = rows.get(id);
        if (c == null) {
            throw new NoSuchElementException("no customer with FCUSTID " + id);
        }
        return c;
    }

    /** Every row, ordered by {@code FCUSTID}. */
    public synchronized List<SandboxCustomer> all() {
        return new ArrayList<>(rows.values());
    }

    /** The rows of one use-organisation, ordered by {@code FCUSTID}. */
    public synchronized List<SandboxCustomer> all(String useOrg) {
        return rows.values().stream().filter(c -> useOrg.equals(c.useOrg())).toList();
    }

    /** What {@link #scanFrom} found: the matching rows in id order, and how many rows it tested. */
    record Scan(List<SandboxCustomer> matching, int tested) {
    }

    /**
     * Walks the rows in id order from {@code fromId} (inclusive), keeping those {@code accept}
     * takes, until their {@code weight}s add up to {@code enough}; one consistent view, like
     * {@link #all()}, at the cost of the rows walked.
     */
    synchronized Scan scanFrom(long fromId, Predicate<SandboxCustomer> accept, ToIntFunction<SandboxCustomer> weight, long enough) {
        return scan(rows.tailMap(fromId, true).values(), accept, weight, enough);
    }

    /** As {@link #scanFrom}, walking the rows newest {@code FModifyDate} first ({@link #NEWEST_FIRST}). */
    synchronized Scan scanNewestFirst(Predicate<SandboxCustomer> accept, ToIntFunction<SandboxCustomer> weight, long enough) {
        return scan(byModifyDateDesc, accept, weight, enough);
    }

    private static Scan scan(Iterable<SandboxCustomer> walk, Predicate<SandboxCustomer> accept, ToIntFunction<SandboxCustomer> weight,
            long enough) {
        List<SandboxCustomer> matching = new ArrayList<>();
        int tested = 0;
        long found = 0;
        for (SandboxCustomer c : walk) {
            if (found >= enough) {
                break;
            }
            tested++;
            if (accept.test(c)) {
                matching.add(c);
                found += weight.applyAsInt(c);
            }
        }
        return new Scan(matching, tested);
    }

    public synchronized List<Long> ids() {
        return new ArrayList<>(rows.keySet());
    }

    public synchronized int size() {
        return rows.size();
    }

    private void put(SandboxCustomer c) {
        SandboxCustomer old = rows.put(c.id(), c);
        if (old != null) {
            byModifyDateDesc.remove(old);
        }
        byModifyDateDesc.add(c);
    }

    private String nextNumber() {
        return String.format("CUST%05d", nextNumber++);
    }
}
