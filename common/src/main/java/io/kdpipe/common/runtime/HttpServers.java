package io.kdpipe.common.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Creates the JDK HTTP servers kdpipe runs (service endpoints, sandboxes, local pages) with
 * {@code TCP_NODELAY} on.
 *
 * <p>The JDK server writes an answer's headers and body separately; with Nagle's algorithm on, the
 * body waits for the client's delayed ACK (about 40 ms), which caps a client making one call at a
 * time near 25 calls per second. The JDK reads {@code sun.net.httpserver.nodelay} once per JVM, when
 * its first server is created, so every server must be created through here for the setting to hold
 * whichever starts first. An explicit {@code -Dsun.net.httpserver.nodelay} is left as given.
 */
public final class HttpServers {

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private HttpServers() {
    }

    /** A server bound to {@code address}, not yet started; {@code backlog} 0 means the system default. */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }
}
