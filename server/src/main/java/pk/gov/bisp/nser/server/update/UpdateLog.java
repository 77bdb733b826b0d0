package pk.gov.bisp.nser.server.update;

import java.io.Closeable;
import pk.gov.bisp.nser.core.journal.Completion;
import pk.gov.bisp.nser.core.journal.Journal;

/**
 * Where a decided update is made durable before it is applied: the local update journal ({@link #journal}), or,
 * on a replica, nothing more (its command is already in the replicated log, {@link ReplicatedUpdates}).
 */
interface UpdateLog extends Closeable {

    /**
     * Makes {@code entry} (an {@link UpdateEntry}, encoded) durable and tells {@code done} its position once it is;
     * {@code done} may be told at once, on the caller's thread.
     */
    void append(byte[] entry, Completion done);

    /** The local update journal, fsyncing every batch before it tells its entries written (group commit). */
    static UpdateLog journal(Journal journal) {
        return new UpdateLog() {
            @Override
            public void append(byte[] entry, Completion done) {
                journal.append(UpdateEntry.KIND, entry, 0, entry.length, done);
            }

            @Override
            public void close() throws java.io.IOException {
                journal.close();
            }
        };
    }
}
