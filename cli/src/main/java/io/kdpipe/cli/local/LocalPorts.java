package io.kdpipe.cli.local;

import picocli.CommandLine.Option;

/**
 * The ports {@code kdpipe local} listens on: the web pages, the services' {@code /metrics} and
 * {@code /health} (three in a row), and the embedded broker with its controller on the next port.
 */
final class LocalPorts {

    @Option(names = "--web-port", defaultValue = "8480", description = "Status page and sandbox inboxes (default: ${DEFAULT-VALUE}).")
    int web;

    @Option(names = "--service-ports", defaultValue = "8481", paramLabel = "FIRST",
            description = "Extractor, transformer and notifier serve /metrics and /health on FIRST, FIRST+1, FIRST+2 (default: ${DEFAULT-VALUE}).")
    int firstService;

    @Option(names = "--broker-port", defaultValue = "19092", description = "Embedded broker port; the controller uses the next one (default: ${DEFAULT-VALUE}).")
    int broker;

    int controller() {
        return broker + 1;
    }

    int extractor() {
        return firstService;
    }

    int transformer() {
        return firstService + 1;
    }

    int notifier() {
        return firstService + 2;
    }
}
