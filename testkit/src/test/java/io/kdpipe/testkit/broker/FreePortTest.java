package io.kdpipe.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker's port is chosen where no outgoing connection can take it before the broker binds it:
 * outside the kernel's ephemeral range, never twice in one JVM, and free when handed out.
 */
class FreePortTest {

    @TempDir
    Path dir;

    @Test
    void shouldChooseBelowTheEphemeralRangeWhenThereIsRoom() throws IOException {
        EmbeddedKafkaBroker.PortRange range = EmbeddedKafkaBroker.PortRange.outsideEphemeral(file("32768\t60999\n"));

        assertThat(range).isEqualTo(new EmbeddedKafkaBroker.PortRange(10_000, 22_768));
    }

    @Test
    void shouldChooseAboveTheEphemeralRangeWhenItStartsLow() throws IOException {
        EmbeddedKafkaBroker.PortRange range = EmbeddedKafkaBroker.PortRange.outsideEphemeral(file("1024 49151"));

        assertThat(range).isEqualTo(new EmbeddedKafkaBroker.PortRange(49_152, 16_384));
    }

    @Test
    void shouldAssumeTheKernelDefaultWhenTheRangeCannotBeRead() {
        EmbeddedKafkaBroker.PortRange range = EmbeddedKafkaBroker.PortRange.outsideEphemeral(dir.resolve("absent"));

        assertThat(range).isEqualTo(new EmbeddedKafkaBroker.PortRange(10_000, 22_768));
    }

    @Test
    void shouldHandOutDistinctBindablePortsOutsideThisMachinesEphemeralRange() throws IOException {
        EmbeddedKafkaBroker.PortRange range = EmbeddedKafkaBroker.PortRange.outsideEphemeral(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = EmbeddedKafkaBroker.freePort();
            assertThat(port).isBetween(range.lower(), range.lower() + range.size() - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("localhost", port));
            }
        }
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("ip_local_port_range"), content);
    }
}
