package io.kdpipe.transformer.serde;

import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kdpipe.common.contract.Notice;
import io.kdpipe.transformer.binary.ByteSource;
import io.kdpipe.transformer.change.CustomerState;
import io.kdpipe.transformer.change.WatchedValues;
import io.kdpipe.transformer.digest.DigestWindow;
import io.kdpipe.transformer.digest.EncodedNotice;
import io.kdpipe.transformer.notice.RoutedNotice;

import static io.kdpipe.transformer.binary.Binary.readInstant;
import static io.kdpipe.transformer.binary.Binary.readJson;
import static io.kdpipe.transformer.binary.Binary.readString;
import static io.kdpipe.transformer.binary.Binary.readStrings;
import static io.kdpipe.transformer.binary.Binary.skipJson;
import static io.kdpipe.transformer.binary.Binary.writeInstant;
import static io.kdpipe.transformer.binary.Binary.writeJson;
import static io.kdpipe.transformer.binary.Binary.writeString;
import static io.kdpipe.transformer.binary.Binary.writeStrings;

/**
 * The binary layouts (format {@link InternalSerde#BINARY_V1}) of the transformer's internal values.
 * Each field in declaration order; nullable strings and instants as {@link Binary} writes them.
 */
public final class InternalSerdes {

    /** {@code customer-state} store and changelog. */
    public static final InternalSerde<CustomerState> CUSTOMER_STATE = new InternalSerde<>("CustomerState", CustomerState.CODEC,
            InternalSerdes::writeState, InternalSerdes::readState);

    /** {@code digest-pending} store. */
    public static final InternalSerde<RoutedNotice> ROUTED_NOTICE = new InternalSerde<>("RoutedNotice", RoutedNotice.CODEC,
            InternalSerdes::writeRouted, InternalSerdes::readRouted);

    /** {@code digest-windows} store. */
    public static final InternalSerde<DigestWindow> DIGEST_WINDOW = new InternalSerde<>("DigestWindow", DigestWindow.CODEC,
            InternalSerdes::writeWindow, InternalSerdes::readWindow);

    private InternalSerdes() {
    }

    private static void writeState(DataOutput out, CustomerState s) throws IOException {
        out.writeInt(s.schemaVersion());
        writeInstant(out, s.modifiedAt());
        WatchedValues watched = WatchedValues.copyOf(s.watched());
        out.writeInt(watched.size());
        for (int i = 0; i < watched.size(); i++) {
            writeString(out, watched.name(i));
            writeString(out, watched.value(i));
        }
        writeString(out, s.documentStatus());
        writeString(out, s.forbidStatus());
        writeString(out, s.fingerprint());
    }

    private static CustomerState readState(ByteSource in) throws IOException {
        int version = in.readInt();
        Instant modifiedAt = readInstant(in);
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a state of " + n + " watched fields in " + in.available() + " bytes");
        }
        String[] names = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = readString(in);
            values[i] = readString(in);
            if (names[i] == null) {
                throw new IOException("a watched field without a name");
            }
        }
        // written in ascending order; anything else is sorted (a repeated name keeps its last value, as a map would)
        Map<String, String> watched;
        if (WatchedValues.ascending(names)) {
            watched = WatchedValues.of(names, values);
        } else {
            watched = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                watched.put(names[i], values[i]);
            }
        }
        return new CustomerState(version, modifiedAt, watched, readString(in), readString(in), readString(in));
    }

    private static void writeRouted(DataOutput out, RoutedNotice r) throws IOException {
        out.writeInt(r.schemaVersion());
        writeString(out, r.digestLine());
        Notice n = r.notice();
        out.writeInt(n.schemaVersion());
        writeString(out, n.id());
        writeString(out, n.kind().name());
        writeStrings(out, n.customerKeys());
        writeStrings(out, n.recipients().userIds());
        writeStrings(out, n.recipients().deptIds());
        writeStrings(out, n.recipients().unresolved());
        writeJson(out, n.msg());
        Notice.Provenance p = n.provenance();
        writeString(out, p.sourceTopic());
        out.writeInt(p.partition());
        out.writeLong(p.offset());
        writeInstant(out, p.sourceModifiedAt());
        writeString(out, p.replayOf());
        writeInstant(out, n.createdAt());
        writeRouting(out, n.routing());
    }

    /**
     * Appended after the notice's other fields (values written before notices carried routing end
     * before it and read as null): a presence byte, then kind, salesperson, previous salesperson,
     * department and notes.
     */
    private static void writeRouting(DataOutput out, Notice.Routing r) throws IOException {
        if (r == null) {
            return;
        }
        out.writeByte(1);
        writeString(out, r.kind().name());
        writeString(out, r.salesperson());
        writeString(out, r.previousSalesperson());
        writeString(out, r.department());
        writeStrings(out, r.notes());
    }

    private static Notice.Routing readRouting(ByteSource in) throws IOException {
        if (in.available() == 0 || in.readByte() != 1) {
            return null;
        }
        return new Notice.Routing(Notice.Kind.valueOf(readString(in)), readString(in), readString(in), readString(in),
                readStrings(in));
    }

    /**
     * What the digest stage needs of a notice (encoded by {@link #ROUTED_NOTICE}): the notice with its
     * message left unread ({@code msg} a {@code MissingNode}), so the bytes are checked as {@link #ROUTED_NOTICE}
     * checks them, but the message, the largest part, is not built. Such a notice is never sent: a
     * notice sent as it is is decoded whole.
     */
    public static RoutedNotice decodeWithoutMessage(byte[] bytes) {
        return decodeHead(bytes).head();
    }

    /**
     * {@link #decodeWithoutMessage}, with the bytes and where the message lies in them, so a held
     * notice can be kept without it ({@link EncodedNotice#withoutMessage()}). JSON written by earlier
     * versions is read whole, its message's place unknown.
     */
    public static EncodedNotice decodeHead(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != InternalSerde.BINARY_V1) {
            return new EncodedNotice(ROUTED_NOTICE.decode(bytes), bytes, -1, -1);
        }
        int[] message = new int[2];
        RoutedNotice head = new InternalSerde<>("RoutedNotice", RoutedNotice.CODEC, InternalSerdes::writeRouted,
                in -> readRouted(in, message)).decode(bytes);
        return new EncodedNotice(head, bytes, message[0], message[1]);
    }

    private static RoutedNotice readRouted(ByteSource in) throws IOException {
        return readRouted(in, null);
    }

    /** With {@code skippedMessage}, the message is skipped and where it lies is put there; without, it is read. */
    private static RoutedNotice readRouted(ByteSource in, int[] skippedMessage) throws IOException {
        int version = in.readInt();
        String digestLine = readString(in);
        int noticeVersion = in.readInt();
        String id = readString(in);
        Notice.Kind kind = Notice.Kind.valueOf(readString(in));
        var customerKeys = readStrings(in);
        Notice.Recipients recipients = new Notice.Recipients(readStrings(in), readStrings(in), readStrings(in));
        JsonNode msg = MissingNode.getInstance();
        if (skippedMessage == null) {
            msg = readJson(in);
        } else {
            skippedMessage[0] = in.position();
            skipJson(in);
            skippedMessage[1] = in.position();
        }
        Notice.Provenance provenance = new Notice.Provenance(readString(in), in.readInt(), in.readLong(), readInstant(in),
                readString(in));
        Notice notice = new Notice(noticeVersion, id, kind, customerKeys, recipients, msg, provenance, readInstant(in),
                readRouting(in));
        return new RoutedNotice(version, notice, digestLine);
    }

    private static void writeWindow(DataOutput out, DigestWindow w) throws IOException {
        out.writeInt(w.schemaVersion());
        out.writeLong(w.startMs());
        out.writeInt(w.count());
        out.writeLong(w.nextSeq());
        out.writeInt(w.pending());
    }

    private static DigestWindow readWindow(ByteSource in) throws IOException {
        return new DigestWindow(in.readInt(), in.readLong(), in.readInt(), in.readLong(), in.readInt());
    }
}
