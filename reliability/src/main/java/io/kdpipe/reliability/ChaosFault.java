package io.kdpipe.reliability;

/**
 * The faults a chaos run sets off besides the DingTalk sandbox's answers ({@link FaultLog#dingTalk}),
 * the Kingdee answers it marks and the service kills. Each is planned and counted in the
 * {@link FaultLog} under its label, which the report shows.
 */
enum ChaosFault {

    BROKER_RESTART("broker restart (SIGTERM)"),
    BROKER_KILL("broker kill -9"),
    /**
     * A notifier {@code kill -9} the DingTalk sandbox sets off as it answers a send, before the notifier
     * can commit it to the ledger. It counts as fired when the process was killed and the answered
     * send's task id never reached the ledger: the kill landed inside the send→commit window.
     */
    NOTIFIER_KILL_AT_ANSWER("notifier kill -9 at DingTalk's answer"),
    SESSION_LOST_MID_PAGINATION("Kingdee session lost mid-pagination"),
    SESSION_LOST("Kingdee session lost"),
    KINGDEE_HANG("Kingdee hung response"),
    MALFORMED("malformed records written");

    private final String label;

    ChaosFault(String label) {
        this.label = label;
    }

    /** The fault's name in the fault log and the report. */
    String label() {
        return label;
    }
}
