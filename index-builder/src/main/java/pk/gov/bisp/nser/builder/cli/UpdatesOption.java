package pk.gov.bisp.nser.builder.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import pk.gov.bisp.nser.core.snapshot.DeltaReplay;
import pk.gov.bisp.nser.core.snapshot.Snapshot;

/** The server's live updates of a snapshot ({@code DIR.updates} beside it unless given), folded in on open. */
final class UpdatesOption {

    private UpdatesOption() {
    }

    /** {@code given}, or {@code SNAPSHOT.updates} beside the snapshot. */
    static Path dir(Path snapshot, Path given) {
        return given != null ? given : snapshot.toAbsolutePath().resolveSibling(snapshot.getFileName() + ".updates");
    }

    /**
     * Applies the checkpoint and journal of {@code dir} to {@code s}, when there is such a directory; returns what
     * was applied, or null. Read only: the server may keep running (its last fsynced updates are included).
     */
    static DeltaReplay apply(Snapshot s, Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve(DeltaReplay.BASE))) {
            return null;
        }
        return DeltaReplay.run(s, dir, DeltaReplay.NONE);
    }
}
