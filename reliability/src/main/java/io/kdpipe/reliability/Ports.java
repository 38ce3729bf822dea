package io.kdpipe.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.kdpipe.testkit.broker.EmbeddedKafkaBroker;

/** Free local ports and whether something listens on one. */
final class Ports {

    private Ports() {
    }

    /** A port a child process can bind later: see {@link EmbeddedKafkaBroker#freePort()}. */
    static int free() {
        return EmbeddedKafkaBroker.freePort();
    }

    static boolean open(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
