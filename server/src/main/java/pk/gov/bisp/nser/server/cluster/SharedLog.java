package pk.gov.bisp.nser.server.cluster;

/**
 * The replicated log as the state beside the households sees it (issue 26 on issue 27's log): a feature appends
 * records of its own kind to the one ordered topic, and applies the records of its kind in the log's order on the
 * thread that applies every record, so a position applied means every record up to it applied, whatever its kind.
 */
public interface SharedLog {

    /** Applies one record of its kind, in log order. */
    interface Applier {
        /**
         * Applies the record at {@code position} sent by {@code origin} (null: none given); returns what to run once
         * this replica's applied position includes it (answering the request that sent it), or null.
         */
        Runnable apply(long position, String origin, byte[] value);
    }

    /** This replica's node id ({@code cluster.node_id}). */
    String node();

    /** Appends {@code value} as a record of {@code kind}; {@code done} is told its position, or why not. */
    void append(String kind, String origin, byte[] value, KafkaLog.Appended done);

    /** Hands every record of {@code kind} to {@code a}; before the log is read. */
    void applier(String kind, Applier a);
}
