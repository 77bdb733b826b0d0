package pk.gov.bisp.nser.server.accesslog;

import io.vertx.core.Context;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where access records go. {@link #record} calls {@code release} on {@code context} once the record is
 * journaled (so a response is never released unlogged), or {@code refused} when it could not be.
 */
public interface AccessLog {

    /** Logging off (configuration {@code journal.enabled: false}, for measuring its cost): releases at once. */
    AccessLog NONE = (kind, r, context, release, refused) -> release.run();

    void record(int kind, AccessRecord r, Context context, Runnable release, Consumer<Throwable> refused);

    /** The journal directory the records can be read back from, or null when nothing is logged. */
    default Path directory() {
        return null;
    }

    /** Records the journal had lost to damage when it was opened (read past, see JOURNAL-FORMAT.md). */
    default long lostRecords() {
        return 0;
    }
}
