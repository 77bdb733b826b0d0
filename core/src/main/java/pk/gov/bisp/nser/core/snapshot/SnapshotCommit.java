package pk.gov.bisp.nser.core.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import pk.gov.bisp.nser.core.format.Checksums;
import pk.gov.bisp.nser.core.format.DurableFiles;

/**
 * Replaces files of an existing snapshot in place, crash-safely (re-scoring uses it).
 * <ol>
 * <li>{@link #stage}: each new file is written beside its target as {@code NAME.new}, forced to disk by its
 *     writer. The snapshot is untouched.</li>
 * <li>{@link #commit}: the new manifest is written as {@code manifest.json.new.tmp}, forced, and renamed to
 *     {@code manifest.json.new}: from then on the change is decided. Then every {@code NAME.new} is renamed
 *     over {@code NAME}, {@code manifest.json.new} over {@code manifest.json} (last), and the directory is
 *     forced.</li>
 * </ol>
 * After a crash, {@link #recover} finishes a decided change (the renames are idempotent) or, when
 * {@code manifest.json.new} is absent, deletes the staged files, leaving the snapshot as it was.
 * {@link Snapshot#open} refuses a directory with a decided but unfinished change.
 */
public final class SnapshotCommit {

    public static final String STAGED = ".new";
    public static final String PENDING_MANIFEST = SnapshotFiles.MANIFEST + STAGED;
    private static final String TMP = ".tmp";

    private final Path dir;
    private final List<String> staged = new ArrayList<>();
    private boolean done;

    private SnapshotCommit(Path dir) {
        this.dir = dir;
    }

    /** Starts a change of {@code dir}, first recovering from an interrupted one. */
    public static SnapshotCommit begin(Path dir) throws IOException {
        recover(dir);
        return new SnapshotCommit(dir);
    }

    /** Where to write the new version of {@code name} (a file that does not exist yet). */
    public Path stage(String name) throws IOException {
        if (!SnapshotFiles.DATA_FILES.contains(name) && !SnapshotFiles.OPTIONAL_FILES.contains(name)) {
            throw new IllegalArgumentException("not a snapshot file: " + name);
        }
        Path p = dir.resolve(name + STAGED);
        Files.deleteIfExists(p);
        staged.add(name);
        return p;
    }

    /** Writes the new manifest and puts every staged file in place; see the class comment. */
    public void commit(Manifest manifest) throws IOException {
        for (String name : staged) {
            Checksums.fsync(dir.resolve(name + STAGED));
        }
        Path tmp = dir.resolve(PENDING_MANIFEST + TMP);
        Files.deleteIfExists(tmp);
        DurableFiles.writeNew(tmp, manifest.toJson());
        Files.move(tmp, dir.resolve(PENDING_MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        Checksums.fsyncDirectory(dir);
        finish(dir);
        done = true;
    }

    /** Deletes the staged files of a change that was not committed. */
    public void abort() throws IOException {
        if (!done) {
            for (String name : staged) {
                Files.deleteIfExists(dir.resolve(name + STAGED));
            }
        }
    }

    /**
     * Completes an interrupted change of {@code dir}, or removes its staged files when it was not decided.
     * Returns true when a decided change was completed.
     */
    public static boolean recover(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(PENDING_MANIFEST + TMP));
        if (Files.exists(dir.resolve(PENDING_MANIFEST))) {
            finish(dir);
            return true;
        }
        for (String name : allNames()) {
            Files.deleteIfExists(dir.resolve(name + STAGED));
        }
        return false;
    }

    /** True when {@code dir} holds a decided change whose renames are not finished. */
    public static boolean pending(Path dir) {
        return Files.exists(dir.resolve(PENDING_MANIFEST));
    }

    private static void finish(Path dir) throws IOException {
        for (String name : allNames()) {
            Path p = dir.resolve(name + STAGED);
            if (Files.exists(p)) {
                Files.move(p, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(dir.resolve(PENDING_MANIFEST), dir.resolve(SnapshotFiles.MANIFEST), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Checksums.fsyncDirectory(dir);
    }

    private static List<String> allNames() {
        List<String> all = new ArrayList<>(SnapshotFiles.DATA_FILES);
        all.addAll(SnapshotFiles.OPTIONAL_FILES);
        return all;
    }
}
