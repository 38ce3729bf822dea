package io.kdpipe.cli.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.common.topic.Topics;
import io.kdpipe.sandbox.dingtalk.SandboxUser;
import io.kdpipe.sandbox.kingdee.SandboxCustomer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The people of the sandboxes: every salesperson of the Kingdee sandbox ({@code XSY001}…) is a
 * DingTalk sandbox user ({@code user-xsy001}), every sales department ({@code XSB01}…) a DingTalk
 * department, and {@code dingtalk.directory.v1} says so, so notices reach the right inboxes.
 */
final class LocalDirectory {

    /** The sandbox user that gets notices nobody else resolves to (used with a real Kingdee). */
    static final String FALLBACK_USER = "fallback";
    static final int SALESPEOPLE = 24;
    static final int DEPARTMENTS = 5;
    private static final long DEPT_ID_BASE = 5_000_000L;

    private final Map<String, String> sellerNames;
    private final Map<String, String> deptNames;

    private LocalDirectory(Map<String, String> sellerNames, Map<String, String> deptNames) {
        this.sellerNames = sellerNames;
        this.deptNames = deptNames;
    }

    /** Names as the Kingdee sandbox's rows carry them; numbers no row uses yet get a plain name. */
    static LocalDirectory of(List<SandboxCustomer> rows) {
        Map<String, String> sellers = new TreeMap<>();
        Map<String, String> depts = new TreeMap<>();
        for (int i = 1; i <= SALESPEOPLE; i++) {
            sellers.put(String.format("XSY%03d", i), "销售员" + i);
        }
        for (int i = 1; i <= DEPARTMENTS; i++) {
            depts.put(String.format("XSB%02d", i), "销售部门" + i);
        }
        for (SandboxCustomer c : rows) {
            put(sellers, c.get("FSELLER.FNumber"), c.get("FSELLER.FName"));
            put(depts, c.get("FSALDEPTID.FNumber"), c.get("FSALDEPTID.FName"));
        }
        return new LocalDirectory(sellers, depts);
    }

    private static void put(Map<String, String> names, Object number, Object name) {
        if (number != null && name != null && names.containsKey(number.toString())) {
            names.put(number.toString(), name.toString());
        }
    }

    /** The DingTalk userid of a Kingdee salesperson number. */
    static String userId(String sellerNumber) {
        return "user-" + sellerNumber.toLowerCase(Locale.ROOT);
    }

    static long deptId(String deptNumber) {
        return DEPT_ID_BASE + Long.parseLong(deptNumber.replaceAll("\\D", ""));
    }

    /** The DingTalk sandbox's users: one per salesperson, plus the fallback user. */
    List<SandboxUser> users() {
        List<SandboxUser> users = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> e : sellerNames.entrySet()) {
            users.add(SandboxUser.of(userId(e.getKey()), e.getValue(), String.format("1390000%04d", ++n)));
        }
        users.add(SandboxUser.of(FALLBACK_USER, "未匹配通知", "13900009999"));
        return users;
    }

    String sellerName(String number) {
        return sellerNames.get(number);
    }

    /** The directory entries, keyed as the transformer looks them up. */
    List<DirectoryEntry> entries(Instant now) {
        List<DirectoryEntry> out = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> e : sellerNames.entrySet()) {
            out.add(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.PERSON, e.getKey(), e.getValue(),
                    String.format("1390000%04d", ++n), userId(e.getKey()), null, now));
        }
        for (Map.Entry<String, String> e : deptNames.entrySet()) {
            out.add(new DirectoryEntry(DirectoryEntry.VERSION, DirectoryEntry.Type.DEPARTMENT, e.getKey(), e.getValue(),
                    null, null, deptId(e.getKey()), now));
        }
        return out;
    }

    /** Writes the entries to the directory topic and waits until the broker has them. */
    void publish(Map<String, Object> clientProperties, String topic, Instant now) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (DirectoryEntry e : entries(now)) {
                sends.add(producer.send(new ProducerRecord<>(topic, e.key(), DirectoryEntry.CODEC.encode(e))));
            }
            for (var f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not write the sandbox directory to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the sandbox directory", e);
        }
    }

    static String topic(String prefix) {
        return Topics.DIRECTORY.name(prefix);
    }
}
